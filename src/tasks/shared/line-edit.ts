// The shell that runs LINE_EDIT_AWK on one file and installs the result with ks_put: shared by lineinfile
// and sysctl (which keeps `key=value` lines the same way).

import { quote } from '../../engine/quote.js'
import { LINE_EDIT_AWK } from './line-edit-awk.js'
import { pythonTemplateToSed } from './python-regex.js'
import { awkEditScript } from './shell-args.js'

export interface LineEdit {
  path: string
  /** re: `pat` is an ERE; str: a literal substring; line: lines equal to `line` match; lines: the lines
   * numbered in $KS_PATLINES (set by `before`) match. */
  match: 're' | 'str' | 'line' | 'lines'
  /** The regexp for PCRE tools, when it is not an ERE (backrefs then expand it with perl). */
  pcre?: string
  /** Shell lines run once the file is known ("$_kp"), before the edit. */
  before?: string[]
  pat: string
  line: string
  state: 'present' | 'absent'
  /** ERE, 'BOF', 'EOF' or '' (append). */
  ins: string
  insKind: 'after' | 'before'
  /** `line` is a Python match template (\1) applied to the last match of `pat`. */
  backrefs: boolean
  firstmatch: boolean
  create: boolean
  mode?: string
  owner?: string
  group?: string
}

/** POSIX ERE that matches `s` literally. */
export function ereLiteral(s: string): string {
  return s.replace(/[\\^$.[\]|()?*+{}]/g, '\\$&')
}

// Prints Python's match.expand(template) for the last line of stdin matching the regexp; exit 3 without one.
const PERL_EXPAND = String.raw`my ($re, $t) = @ARGV; my @k;
while (<STDIN>) { chomp; if (my @c = /$re/) { @k = ($&, @c) } }
exit 3 unless @k;
my %esc = (n => "\n", t => "\t", "\\" => "\\");
sub g { my ($d, $c) = @_; return defined $d ? ($k[$d] // "") : exists $esc{$c} ? $esc{$c} : "\\$c" }
$t =~ s{\\(?:(\d+)|g<(\d+)>|(.))}{g(defined $1 ? $1 : $2, $3)}ges;
print $t;`

export function lineEditScript(e: LineEdit): string {
  const path = '"$_kp"'
  const env = [
    `KS_MODE=${e.match}`, `KS_PAT=${quote(e.pat)}`, `KS_STATE=${e.state}`, `KS_INS=${quote(e.ins)}`,
    `KS_INSKIND=${e.insKind}`, `KS_BACKREFS=${e.backrefs ? 1 : 0}`, `KS_FIRST=${e.firstmatch ? 1 : 0}`,
  ]
  // A symlinked file (Debian's /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf) is edited where it points.
  const lines = [
    `_kp=${quote(e.path)}; if [ -L "$_kp" ]; then _kp=$(readlink -f "$_kp") || exit 1; fi`,
    `export ${env.join(' ')}`,
    `export KS_LINE=${quote(e.line)}`,
  ]
  lines.push(`if [ -e ${path} ] && [ ! -f ${path} ]; then ks_fail ${quote(`${e.path} is not a regular file`)}; fi`)
  if (e.state === 'absent') lines.push(`[ -f ${path} ] || exit 0`)
  else if (!e.create) lines.push(`ks_input ${path} ${quote(`edit ${e.path}`)} ${quote(`${e.path} does not exist (set create: yes to create it)`)}`)
  lines.push(...(e.before ?? []))
  if (e.backrefs && e.pcre !== undefined) {
    // Python's match.expand on the last matching line, done by perl, whose regexes read as Python's do.
    lines.push(
      `command -v perl >/dev/null || ks_fail ${quote('lineinfile: backrefs with this regexp need perl on the host (it is not POSIX ERE): install perl, or rewrite the regexp with POSIX ERE features')}`,
      `_kx=$(perl -e ${quote(PERL_EXPAND)} ${quote(e.pcre)} ${quote(e.line)} < ${path}; _kr=$?; printf x; exit $_kr); _krc=$?`,
      `case $_krc in 0) ;; 3) exit 0 ;; *) ks_fail 'lineinfile: perl could not use the regexp' ;; esac`,
      'KS_LINE=${_kx%x}',
      'export KS_LINE',
    )
  } else if (e.backrefs) {
    // The new line is the regexp's match expanded with its groups: sed on the last matching line, the
    // result framed by \002 so only the expansion is kept.
    const sedExpr = `s\x01${e.pat}\x01\x02${pythonTemplateToSed(e.line)}\x02\x01`
    lines.push(
      `_km=$(awk 'BEGIN { p = ENVIRON["KS_PAT"] } $0 ~ p { l = $0; f = 1 } END { if (f) print l; else exit 3 }' ${path}) || exit 0`,
      `_ks=$(printf '%s\\n' "$_km" | sed -E ${quote(sedExpr)}) || ks_fail 'sed failed on the backrefs template'`,
      `_kx=$(printf '\\002'); _ks=\${_ks#*"$_kx"}; KS_LINE=\${_ks%"$_kx"*}; export KS_LINE`,
    )
  }
  lines.push(...awkEditScript(LINE_EDIT_AWK, path, e, `editing ${e.path} failed`))
  return lines.join('\n')
}
