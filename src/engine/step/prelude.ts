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
ks_mode_eq() { [ "$(printf '%o' "0$1")" = "$(printf '%o' "0$2")" ]; }
# ks_attrs PATH MODE OWNER GROUP: bring mode/owner/group of PATH to what is asked (empty: leave as is).
ks_attrs() {
  [ -n "$2$3$4" ] || return 0
  _ka=$(stat -c '%a %U %G' "$1") || ks_fail "cannot stat $1"
  set -- "$1" "$2" "$3" "$4" $_ka
  if [ -n "$2" ] && ! ks_mode_eq "$2" "$5"; then ks_changed "mode of $1: $5 -> $2"; ks_check || chmod "$2" "$1" || exit 1; fi
  if [ -n "$3" ] && [ "$3" != "$6" ]; then ks_changed "owner of $1: $6 -> $3"; ks_check || chown "$3" "$1" || exit 1; fi
  if [ -n "$4" ] && [ "$4" != "$7" ]; then ks_changed "group of $1: $7 -> $4"; ks_check || chgrp "$4" "$1" || exit 1; fi
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
  _kpt=$(mktemp "$_kd/.${D}{2##*/}.kubeseed-XXXXXXXX") || ks_fail "cannot create a temporary file in $_kd"
  if ! { { [ ! -f "$2" ] || chown --reference="$2" "$_kpt"; } &&
         { [ -z "$4$5" ] || chown "$4${D}{5:+:$5}" "$_kpt"; } &&
         if [ -n "$3" ]; then chmod "$3" "$_kpt"; elif [ -f "$2" ]; then chmod --reference="$2" "$_kpt";
         else chmod "$(printf '%o' $((0666 & ~0$(umask))))" "$_kpt"; fi; }; then
    rm -f "$_kpt"; ks_fail "cannot set owner or mode of a new $2"
  fi
  cat "$1" >"$_kpt" || { rm -f "$_kpt"; ks_fail "cannot write $2"; }
  mv -f "$_kpt" "$2" || { rm -f "$_kpt"; ks_fail "cannot rename into $2"; }
}
`
