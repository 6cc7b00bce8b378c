// swap (kubeseed's own): kubelet refuses to run with swap on, so turn every swap area off now
// (swapoff -a, only when one is active) and comment out the swap lines of /etc/fstab for the next boot.

import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { diffPrologue } from './shared/shell-args.js'

export interface SwapParams {
  state: 'absent'
  fstab: string
}

// Comments out active fstab lines whose type (third field) is swap; exits 3 when there are none.
const FSTAB_AWK = String.raw`
{ L[NR] = $0; if ($0 !~ /^[[:space:]]*#/ && $3 == "swap") { L[NR] = "# " $0 "  # swap off for kubelet"; c++ } }
END { if (!c) exit 3; for (i = 1; i <= NR; i++) print L[i] > ENVIRON["KS_OUT"] }
`

export const swap: RemoteTaskType<SwapParams> = {
  kind: 'remote',
  name: 'swap',
  supportsCheck: true,
  params: {
    state: { type: 'string', choices: ['absent'], default: 'absent' },
    fstab: { type: 'path', default: '/etc/fstab' },
  },
  plan(p, ctx) {
    const fstab = quote(p.fstab)
    return {
      script: [
        diffPrologue(ctx),
        // /proc/swaps has a header line; any further line is an active swap area.
        `if [ -r /proc/swaps ] && [ "$(wc -l < /proc/swaps)" -gt 1 ]; then ks_changed 'turn swap off'; ks_check || swapoff -a || ks_fail 'swapoff -a failed'; fi`,
        `[ -f ${fstab} ] || exit 0`,
        '_kt=$(mktemp) || exit 1',
        `trap 'rm -f "$_kt"' EXIT`,
        `KS_OUT="$_kt" awk ${quote(FSTAB_AWK)} ${fstab}; _krc=$?`,
        `case $_krc in 0) ks_put "$_kt" ${fstab} '' '' '' ;; 3) ;; *) ks_fail ${quote(`cannot read ${p.fstab}`)} ;; esac`,
      ].join('\n'),
    }
  },
}
