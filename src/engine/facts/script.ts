// The facts of a host come from ONE exec of this script: sections of raw text the controller parses.
// Every probe is guarded, so a minimal host still answers; missing tools just leave a section empty.

export const FACTS_SCRIPT = String.raw`
export LC_ALL=C PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
s() { printf '\n@@ks-facts %s\n' "$1"; }
s os_release; cat /etc/os-release 2>/dev/null
s uname; uname -m; uname -r; uname -s; uname -n
s hostname_f; hostname -f 2>/dev/null || cat /etc/hostname 2>/dev/null
s user; id -un; id -u
s meminfo; cat /proc/meminfo 2>/dev/null
s swaps; cat /proc/swaps 2>/dev/null
s cpus; grep -c '^processor' /proc/cpuinfo 2>/dev/null
s init; cat /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo systemd-running
s tools; for t in apt-get dnf yum curl wget systemctl sudo tar gzip xz unzip sha256sum ctr crictl nc base64; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done
s addr4; ip -o -4 addr show 2>/dev/null
s addr6; ip -o -6 addr show scope global 2>/dev/null
s route4; ip -4 route show default 2>/dev/null
s route6; ip -6 route show default 2>/dev/null
s versions
command -v kubeadm >/dev/null 2>&1 && echo "kubeadm $(kubeadm version -o short 2>/dev/null)"
command -v kubelet >/dev/null 2>&1 && echo "kubelet $(kubelet --version 2>/dev/null)"
command -v kubectl >/dev/null 2>&1 && echo "kubectl $(kubectl version --client 2>/dev/null | head -n1)"
command -v containerd >/dev/null 2>&1 && echo "containerd $(containerd --version 2>/dev/null)"
command -v runc >/dev/null 2>&1 && echo "runc $(runc --version 2>/dev/null | head -n1)"
command -v etcd >/dev/null 2>&1 && echo "etcd $(etcd --version 2>/dev/null | head -n1)"
command -v crictl >/dev/null 2>&1 && echo "crictl $(crictl --version 2>/dev/null)"
s kubeadm_node
[ -f /etc/kubernetes/admin.conf ] && echo control-plane
[ -f /etc/kubernetes/kubelet.conf ] && echo node
s end
`
