// Shell helpers every step can use. They write status markers into the step's own output streams with
// printf (a shell builtin: no extra process per step). The markers carry a per-batch random nonce, so
// nothing a command prints can forge one.

const D = '$'

export const PRELUDE = String.raw`
ks_mark() { printf '\n%s:%s\n' "$KS_NONCE" "$1"; }
ks_changed() { printf '\n%s:CHG:%s\n' "$KS_NONCE" "$*"; }
ks_skipped() { printf '\n%s:SKIP:%s\n' "$KS_NONCE" "$*"; }
ks_check() { [ "$KS_CHECK" = 1 ]; }
ks_fail() { printf '%s\n' "$*" >&2; exit 1; }
ks_diff() { if [ "$KS_DIFF" = 1 ]; then ks_mark 'DIFF{'; cat; ks_mark 'DIFF}'; else cat >/dev/null; fi; }
# ks_traps [CLEANUP]: a hangup, Ctrl-C, a closed output pipe (the controller's connection gone) or a kill runs
# CLEANUP (commands ending in ';') and then exits, so the EXIT trap runs too: dash skips it when a signal
# ends the shell. Traps do not reach subshells, so every step's subshell sets them again.
ks_traps() { trap "$1 exit 129" HUP; trap "$1 exit 130" INT; trap "$1 exit 141" PIPE; trap "$1 exit 143" TERM; }
# ks_sweep DEST: removes temporary files an earlier run left beside DEST when something ended it outright
# (SIGKILL, a crash: no trap runs). Ones touched in the last minute may belong to a run still writing.
ks_sweep() { find "${D}{1%/*}/" -maxdepth 1 -type f -name ".${D}{1##*/}.kubeseed-*" -mmin +1 -delete 2>/dev/null; return 0; }
# ks_input PATH WOULD FAILURE: PATH is something the step reads or works in (a copy's source on the host, an
# archive, the directory it unpacks into). When it is missing the step fails with FAILURE, except in check mode:
# there the earlier task that would make PATH (a download, a mkdir) changed nothing, so the step reports that it
# WOULD change and ends. Call it in the step's own subshell, not in a pipeline.
ks_input() {
  [ -e "$1" ] && return 0
  if ks_check; then ks_changed "$2 ($1 is not there yet)"; exit 0; fi
  ks_fail "$3"
}
# ks_sha256 FILE: FILE's sha256 in hex, hashed again only when FILE changed since it was last hashed here.
# The cache ($KS_SUMS, owned by this user; empty: none) keeps per device and inode the size, mtime and ctime in
# nanoseconds beside the sum. Every change to a file's content moves its ctime, and no call sets ctime back
# (utimensat sets mtime and atime only), so an entry matching all five is the same content. A file changed within
# a second of the hash starting is not cached: a write in the same clock tick would leave ctime as it was. A
# replaced file is a new inode, and a reused inode has a new ctime. Check mode reads the cache, never writes it.
ks_sha256() {
  _kk=$(stat -L -c '%d-%i %s %.9Y %.9Z' "$1" 2>/dev/null) || _kk=
  case $_kk in
    *[!0-9.\ -]* | '') sha256sum < "$1" | cut -c1-64; return ;;
  esac
  _ke=$KS_SUMS/${D}{_kk%% *}; _kv=${D}{_kk#* }
  if [ -n "$KS_SUMS" ] && [ -O "$KS_SUMS" ] && [ -f "$_ke" ] && read -r _k1 _k2 _k3 _kh < "$_ke" &&
     [ "$_k1 $_k2 $_k3" = "$_kv" ] && [ ${D}{#_kh} -eq 64 ]; then
    printf '%s\n' "$_kh"; return 0
  fi
  _kt0=$(date +%s)
  _kh=$(sha256sum < "$1" | cut -c1-64)
  printf '%s\n' "$_kh"
  [ ${D}{#_kh} -eq 64 ] && [ -n "$KS_SUMS" ] && ! ks_check || return 0
  _kc=${D}{_kv##* }
  [ "${D}{_kc%.*}" -lt $((_kt0 - 1)) ] || return 0
  [ "$(stat -L -c '%d-%i %s %.9Y %.9Z' "$1" 2>/dev/null)" = "$_kk" ] || return 0
  { [ -d "$KS_SUMS" ] || mkdir -p -m 0700 "$KS_SUMS"; } 2>/dev/null && [ -O "$KS_SUMS" ] || return 0
  { printf '%s %s\n' "$_kv" "$_kh" > "$_ke.$$" && mv -f "$_ke.$$" "$_ke"; } 2>/dev/null || rm -f "$_ke.$$"
  return 0
}
ks_mode_eq() { [ "$(printf '%o' "0$1")" = "$(printf '%o' "0$2")" ]; }
# ks__symbit WHO PERM: the bits one permission letter of a symbolic mode stands for (in _sb), as Ansible
# reckons them: from the path's mode before the change (_sp), X only for directories or executables (_sx),
# and r/w/x masked by the umask (_sm) when the clause names nobody (_sk=1).
ks__symbit() {
  case $1$2 in
    ur) _sb=0400 ;; uw) _sb=0200 ;; ux) _sb=0100 ;; us) _sb=04000 ;; uX) _sb=$((_sx * 0100)) ;;
    uu) _sb=$((_sp & 0700)) ;; ug) _sb=$(((_sp & 070) << 3)) ;; uo) _sb=$(((_sp & 07) << 6)) ;;
    gr) _sb=040 ;; gw) _sb=020 ;; gx) _sb=010 ;; gs) _sb=02000 ;; gX) _sb=$((_sx * 010)) ;;
    gu) _sb=$(((_sp & 0700) >> 3)) ;; gg) _sb=$((_sp & 070)) ;; go) _sb=$(((_sp & 07) << 3)) ;;
    or) _sb=04 ;; ow) _sb=02 ;; ox) _sb=01 ;; ot) _sb=01000 ;; oX) _sb=$((_sx * 01)) ;;
    ou) _sb=$(((_sp & 0700) >> 6)) ;; og) _sb=$(((_sp & 070) >> 3)) ;; oo) _sb=$((_sp & 07)) ;;
    *) _sb=0 ;;
  esac
  case $2 in [rwx]) [ "$_sk" = 1 ] && _sb=$((_sb & _sm)) ;; esac
}
# ks_symmode CUR ISDIR SPEC: symbolic SPEC (u=rwX,g-s,o=,+x) applied to octal mode CUR, printed in octal.
ks_symmode() {
  _sp=$((0$1)); _sn=$_sp; _sx=0; _sm=$((~0$(umask) & 0777)); _sr=$3,
  if [ "$2" = 1 ] || [ $((_sp & 0111)) -ne 0 ]; then _sx=1; fi
  while [ -n "$_sr" ]; do
    _sc=${D}{_sr%%,*}; _sr=${D}{_sr#*,}
    _su=${D}{_sc%%[-+=]*}; _so=${D}{_sc#"$_su"}; _sk=0
    case $_su in '') _sk=1; _su=ugo ;; a) _su=ugo ;; *[!ugo]*) return 1 ;; esac
    [ -n "$_so" ] || return 1
    while [ -n "$_so" ]; do
      _sop=${D}{_so%"${D}{_so#?}"}; _so=${D}{_so#?}; _sq=${D}{_so%%[-+=]*}; _so=${D}{_so#"$_sq"}
      case $_sq in *[!rwxXstugo]*) return 1 ;; esac
      for _sw in u g o; do
        case $_su in *$_sw*) ;; *) continue ;; esac
        _sa=0; _st=$_sq
        while [ -n "$_st" ]; do ks__symbit $_sw "${D}{_st%"${D}{_st#?}"}"; _sa=$((_sa | _sb)); _st=${D}{_st#?}; done
        case $_sop$_sw in
          =u) _sn=$(((_sn & ~04700) | _sa)) ;; =g) _sn=$(((_sn & ~02070) | _sa)) ;; =o) _sn=$(((_sn & ~01007) | _sa)) ;;
          +*) _sn=$((_sn | _sa)) ;; -*) _sn=$((_sn & ~_sa)) ;;
        esac
      done
    done
  done
  printf '%04o\n' $((_sn & 07777))
}
# ks_mode_for PATH MODE: the octal mode MODE gives PATH (MODE octal, or symbolic and reckoned from PATH's mode).
ks_mode_for() {
  case $2 in
    *[!0-7]*) _kc=$(stat -c %a "$1") || return 1; ks_symmode "$_kc" "$([ -d "$1" ] && echo 1)" "$2" ;;
    *) printf '%04o\n' "0$2" ;;
  esac
}
# ks_who_ok KIND NAME: a user/group name that must exist before anything is changed (also in check mode).
ks_who_ok() {
  case $2 in *[!0-9]*) getent "$1" "$2" >/dev/null || ks_fail "chown failed: failed to look up $1 $2" ;; esac
}
# ks_attrs PATH MODE OWNER GROUP: bring mode/owner/group of PATH to what is asked (empty: leave as is). A numeric
# owner or group is compared with the numeric id.
ks_attrs() {
  [ -n "$2$3$4" ] || return 0
  _ka=$(stat -c '%a %U %G %u %g' "$1") || ks_fail "cannot stat $1"
  set -- "$1" "$2" "$3" "$4" $_ka
  if [ -n "$2" ]; then
    _kw=$(ks_mode_for "$1" "$2") || ks_fail "mode $2 of $1 is not a valid mode"
    if ! ks_mode_eq "$_kw" "$5"; then ks_changed "mode of $1: $5 -> $2"; ks_check || chmod "0$_kw" "$1" || exit 1; fi
  fi
  case $3 in *[!0-9]*) _ku=$6 ;; *) _ku=$8 ;; esac
  case $4 in *[!0-9]*) _kg=$7 ;; *) _kg=$9 ;; esac
  if [ -n "$3" ] && [ "$3" != "$_ku" ]; then ks_who_ok passwd "$3"; ks_changed "owner of $1: $6 -> $3"; ks_check || chown "$3" "$1" || exit 1; fi
  if [ -n "$4" ] && [ "$4" != "$_kg" ]; then ks_who_ok group "$4"; ks_changed "group of $1: $7 -> $4"; ks_check || chgrp "$4" "$1" || exit 1; fi
}
# ks_put SRC DEST MODE OWNER GROUP: install SRC's content at DEST atomically when it differs. The temporary
# file comes from mktemp (O_EXCL, so a link planted under its name is never followed) in DEST's directory
# (so the rename is atomic) and gets its final owner and mode while still empty: no moment where a secret
# is readable by more users than DEST allows. Unset MODE/OWNER/GROUP keep DEST's, or for a new file
# root-or-caller and 0666 minus the umask.
ks_put() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then ks_attrs "$2" "$3" "$4" "$5"; return; fi
  if [ -e "$2" ] && [ ! -f "$2" ]; then ks_fail "$2 exists and is not a regular file"; fi
  _kd=${D}{2%/*}; [ -n "$_kd" ] || _kd=/
  if [ "$KS_DIFF" = 1 ]; then
    if [ -f "$2" ]; then _kb=$2; else _kb=/dev/null; fi
    diff -u --label "$2 (before)" --label "$2 (after)" "$_kb" "$1" | ks_diff
  fi
  if [ -f "$2" ]; then ks_changed "content of $2"; else ks_changed "create $2"; fi
  ks_check && return 0
  [ -d "$_kd" ] || ks_fail "directory $_kd does not exist (create it first)"
  ks_sweep "$2"
  _kpt=; ks_traps '[ -z "$_kpt" ] || rm -f "$_kpt";'
  _kpt=$(mktemp "$_kd/.${D}{2##*/}.kubeseed-XXXXXXXX") || ks_fail "cannot create a temporary file in $_kd"
  # The mode starts from the replaced file's or 0666 less the umask; a symbolic MODE is reckoned from there. It is
  # reckoned first and set in one chmod: mktemp's 0600 never passes through a looser mode on its way to a 0600
  # MODE, so no one can open the file in between and read the content through that descriptor later.
  if [ -f "$2" ]; then _kc=$(stat -c %a "$2") || ks_fail "cannot stat $2"; else _kc=$(printf '%o' $((0666 & ~0$(umask)))); fi
  case $3 in
    '') _kw=$_kc ;;
    *[!0-7]*) _kw=$(ks_symmode "$_kc" '' "$3") || { rm -f "$_kpt"; ks_fail "mode $3 of $2 is not a valid mode"; } ;;
    *) _kw=$(printf '%04o' "0$3") ;;
  esac
  if ! { { [ ! -f "$2" ] || chown --reference="$2" "$_kpt"; } &&
         { [ -z "$4$5" ] || chown "$4${D}{5:+:$5}" "$_kpt"; } &&
         chmod "0$_kw" "$_kpt"; }; then
    rm -f "$_kpt"; ks_fail "cannot set owner or mode of a new $2"
  fi
  cat "$1" >"$_kpt" || { rm -f "$_kpt"; ks_fail "cannot write $2"; }
  mv -f "$_kpt" "$2" || { rm -f "$_kpt"; ks_fail "cannot rename into $2"; }
  ks_traps
}
`
