// The awk program behind blockinfile. Writes the edited text to $KS_OUT and exits 3 when nothing changes.
// Values come in through ENVIRON (no unescaping, unlike -v):
//   KS_BEGIN / KS_END the marker lines   KS_BLOCK the block text ('' = no block)   KS_STATE present|absent
//   KS_INS ERE|BOF|EOF|''   KS_INSKIND after|before
//   KS_INSLINES  when set, the numbers of the lines the insert regexp matched (grep -P beforehand)
//   KS_INSAT     when set, the line to insert before, found by a (?m) regexp over the whole text ('' = none)

export const BLOCK_EDIT_AWK = String.raw`
BEGIN {
  b = ENVIRON["KS_BEGIN"]; e = ENVIRON["KS_END"]; block = ENVIRON["KS_BLOCK"]; state = ENVIRON["KS_STATE"]
  ins = ENVIRON["KS_INS"]; kind = ENVIRON["KS_INSKIND"]; out = ENVIRON["KS_OUT"]
  nb = 0
  if (state == "present" && block != "") {
    sub(/\n$/, "", block)
    nb = split(block, B, "\n")
  }
  bs = 0; be = 0; ip = 0
  insl = ("KS_INSLINES" in ENVIRON); split(ENVIRON["KS_INSLINES"], T, " "); for (k in T) IL[T[k]] = 1
  insat = ("KS_INSAT" in ENVIRON) ? ENVIRON["KS_INSAT"] : ""
}
{
  L[NR] = $0
  if ($0 == b) bs = NR
  else if ($0 == e && bs && !be) be = NR
  else if (insl ? (NR in IL) : (ins != "" && ins != "BOF" && ins != "EOF" && $0 ~ ins)) ip = (kind == "after") ? NR + 1 : NR
}
END {
  n = NR; k = 0
  if (bs && be) {
    for (i = 1; i < bs; i++) O[++k] = L[i]
    if (nb) { O[++k] = b; for (j = 1; j <= nb; j++) O[++k] = B[j]; O[++k] = e }
    for (i = be + 1; i <= n; i++) O[++k] = L[i]
  } else {
    if (!nb) exit 3
    at = n + 1
    if (ins == "BOF") at = 1
    else if (insat != "") at = insat + 0
    else if (ins != "EOF" && ip) at = ip
    for (i = 1; i <= n + 1; i++) {
      if (i == at) { O[++k] = b; for (j = 1; j <= nb; j++) O[++k] = B[j]; O[++k] = e }
      if (i <= n) O[++k] = L[i]
    }
  }
  same = (k == n)
  for (i = 1; same && i <= n; i++) if (O[i] != L[i]) same = 0
  if (same) exit 3
  for (i = 1; i <= k; i++) print O[i] > out
  if (!k) printf "" > out
  print (bs && be) ? (nb ? "block updated" : "block removed") : "block inserted"
}
`
