// The awk program behind lineinfile. It reads the file, writes the edited text to $KS_OUT, prints what it
// did, and exits 3 when nothing needs to change (so the file, even without a final newline, stays as is).
// Values come in through ENVIRON, which awk does not unescape, unlike -v.
//   KS_MODE re|str|line|lines  how a line matches: regexp, search_string, equal to KS_LINE, or its number is
//           in KS_PATLINES (a regexp matched beforehand with grep -P)
//   KS_PAT  the regexp (ERE) or search string      KS_LINE the line to have
//   KS_STATE present|absent   KS_INS ERE|BOF|EOF|'' (where to insert)   KS_INSKIND after|before
//   KS_INSLINES  when set, the numbers of the lines the insert regexp matched (instead of KS_INS as ERE)
//   KS_BACKREFS 1: no match means no change        KS_FIRST 1: firstmatch

export const LINE_EDIT_AWK = String.raw`
function hit(s, n) {
  if (mode == "re") return s ~ pat
  if (mode == "str") return index(s, pat) > 0
  if (mode == "lines") return (n in PL)
  return s == line
}
function inshit(s, n) { if (insl) return (n in IL); return ins != "" && ins != "BOF" && ins != "EOF" && s ~ ins }
BEGIN {
  mode = ENVIRON["KS_MODE"]; pat = ENVIRON["KS_PAT"]; line = ENVIRON["KS_LINE"]; state = ENVIRON["KS_STATE"]
  ins = ENVIRON["KS_INS"]; kind = ENVIRON["KS_INSKIND"]; out = ENVIRON["KS_OUT"]
  backrefs = ENVIRON["KS_BACKREFS"] == "1"; first = ENVIRON["KS_FIRST"] == "1"
  m = 0; ip = 0; exact = 0
  split(ENVIRON["KS_PATLINES"], T, " "); for (k in T) PL[T[k]] = 1
  insl = ("KS_INSLINES" in ENVIRON); split(ENVIRON["KS_INSLINES"], T, " "); for (k in T) IL[T[k]] = 1
}
{
  L[NR] = $0
  if (hit($0, NR)) { if (!(first && m)) m = NR }
  else if (inshit($0, NR)) {
    if (!(first && ip)) ip = (kind == "after") ? NR + 1 : NR
  }
  if ($0 == line) exact = NR
}
END {
  n = NR
  if (state == "absent") {
    c = 0
    for (i = 1; i <= n; i++) { if (hit(L[i], i)) c++; else print L[i] > out }
    if (c == 0) exit 3
    print c " line(s) removed"
    exit 0
  }
  at = 0
  if (m) {
    if (L[m] == line) exit 3
    L[m] = line; msg = "line replaced"
  } else if (backrefs || exact) {
    exit 3
  } else if (ins == "BOF") {
    at = 1
  } else if (ins == "EOF" || ip == 0) {
    at = n + 1
  } else {
    if (kind == "after" && ip > 1 && L[ip - 1] == line) exit 3
    if (kind == "before" && ip <= n && L[ip] == line) exit 3
    at = ip
  }
  for (i = 1; i <= n + 1; i++) {
    if (i == at) print line > out
    if (i <= n) print L[i] > out
  }
  if (at) msg = "line added"
  print msg
}
`
