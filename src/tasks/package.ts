// package: OS packages with apt or dnf (from facts.pkg_mgr, or `use`). ONE query (dpkg-query / rpm -q /
// apt-cache policy) for all names decides what to do; nothing is installed that is already right.
// Version pins: `name=1.2.3` (apt, `*` allowed) and `name-1.2.3` (dnf).

import { PlaybookError } from '../engine/errors.js'
import { quote, shellJoin } from '../engine/quote.js'
import type { PlanContext, RemoteTaskType } from '../engine/task.js'

export interface PackageParams {
  name: string[]
  state: 'present' | 'absent' | 'latest'
  use: 'auto' | 'apt' | 'dnf' | 'yum'
  update_cache: boolean
  cache_valid_time: number
  install_recommends?: boolean
}

const STATE_WORDS: Record<string, PackageParams['state']> = {
  present: 'present', installed: 'present', absent: 'absent', removed: 'absent', latest: 'latest',
}

// Package names and pins go through word splitting in the install command, so they are held to the
// characters package names and versions can have (checked at plan time) and globbing is off (set -f).
const APT_SPEC = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?(=[A-Za-z0-9.+~:*-]+)?$/
const RPM_SPEC = /^[A-Za-z0-9_][A-Za-z0-9_.+~:-]*$/

export const packageTask: RemoteTaskType<PackageParams> = {
  kind: 'remote',
  name: 'package',
  aliases: ['apt', 'dnf', 'yum'],
  supportsCheck: true,
  params: {
    name: { type: 'list', items: 'string', required: true, aliases: ['pkg', 'names'] },
    state: { type: 'string', choices: Object.keys(STATE_WORDS), default: 'present' },
    use: { type: 'string', choices: ['auto', 'apt', 'dnf', 'yum'], default: 'auto' },
    update_cache: { type: 'bool', default: false, aliases: ['update-cache'] },
    cache_valid_time: { type: 'int', default: 0 },
    install_recommends: { type: 'bool', aliases: ['install-recommends'] },
  },
  validate(p, where) {
    if (typeof p.state === 'string' && STATE_WORDS[p.state]) p.state = STATE_WORDS[p.state]
    if (Array.isArray(p.name) && p.name.length === 0 && !p.update_cache) {
      throw new PlaybookError('package: no package names', where, 'give name: [pkg, ...] or update_cache: yes')
    }
  },
  plan(p, ctx) {
    const mgr = p.use === 'auto' ? String(ctx.facts.pkg_mgr ?? 'unknown') : p.use
    if (mgr === 'apt') return { script: `export DEBIAN_FRONTEND=noninteractive\n${aptScript(p, ctx)}` }
    if (mgr === 'dnf' || mgr === 'yum') return { script: dnfScript(p, ctx, mgr) }
    throw new PlaybookError(`package: no supported package manager on ${ctx.host} (facts say "${mgr}")`, ctx.where,
      'kubeseed drives apt and dnf; set use: apt or use: dnf if the facts are wrong')
  },
}

function checkNames(names: string[], re: RegExp, ctx: PlanContext, form: string): void {
  for (const n of names) {
    if (!re.test(n)) throw new PlaybookError(`package: "${n}" is not a package name`, ctx.where, `write it as ${form}`)
  }
}

function globToEre(glob: string): string {
  return `^${glob.replace(/[\\^$.[\]|()?+{}]/g, '\\$&').replace(/\*/g, '.*')}$`
}

// Input: dpkg-query lines "name<TAB>status-abbrev<TAB>version". KS_WANT: "name<TAB>pin<TAB>pin-ERE" lines.
// Prints the install (present) or removal (absent) arguments still needed.
const APT_DECIDE_AWK = String.raw`
BEGIN {
  FS = "\t"; n = split(ENVIRON["KS_WANT"], W, "\n")
  for (i = 1; i <= n; i++) { split(W[i], f, "\t"); name[i] = f[1]; pin[i] = f[2]; pinre[i] = f[3] }
}
$2 ~ /^[ih]i/ { I[$1] = $3 }
END {
  out = ""
  for (i = 1; i <= n; i++) {
    if (name[i] == "") continue
    if (ENVIRON["KS_STATE"] == "absent") { if (name[i] in I) out = out " " name[i]; continue }
    if (!(name[i] in I) || (pin[i] != "" && I[name[i]] !~ pinre[i])) out = out " " name[i] (pin[i] != "" ? "=" pin[i] : "")
  }
  print substr(out, 2)
}
`

// Input: apt-cache policy output. Prints the packages whose installed version is not the candidate.
const APT_LATEST_AWK = String.raw`
/^[^ ]/ { sub(/:$/, ""); pkg = $0; next }
/^  Installed:/ { inst[pkg] = $2 }
/^  Candidate:/ { if ($2 != "(none)" && inst[pkg] != $2) out = out " " pkg }
END { print substr(out, 2) }
`

function aptScript(p: PackageParams, ctx: PlanContext): string {
  checkNames(p.name, APT_SPEC, ctx, 'name or name=version')
  const specs = p.name.map((s) => {
    const i = s.indexOf('=')
    return i < 0 ? { name: s, pin: '' } : { name: s.slice(0, i), pin: s.slice(i + 1) }
  })
  const names = shellJoin(specs.map((s) => s.name))
  const want = specs.map((s) => `${s.name}\t${s.pin}\t${s.pin ? globToEre(s.pin) : ''}`).join('\n')
  const rec = p.install_recommends === undefined ? '' : p.install_recommends ? ' --install-recommends' : ' --no-install-recommends'
  const apt = 'apt-get -q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
  const lines = [
    'set -f',
    `export KS_WANT=${quote(want)} KS_STATE=${p.state}`,
    // The cache is refreshed when asked (and older than cache_valid_time), or when it was never filled.
    `_kage=$(( $(date +%s) - $(stat -c %Y /var/cache/apt/pkgcache.bin 2>/dev/null || echo 0) ))`,
    '_kup=0',
    p.update_cache ? `[ "$_kage" -ge ${p.cache_valid_time > 0 ? p.cache_valid_time : 0} ] && _kup=1` : ':',
    'ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || _kup=1',
    // A failure names the repositories apt used (the mirror at fault), from one-line and deb822 sources.
    `ks_sources() ( set +f; cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" { sub(/\\[[^]]*\\]/, ""); print $2 }'; cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }' )`,
    `ks_from() { _ksrc=$(ks_sources | sort -u | tr '\\n' ' ' | sed 's/ $//'); printf ' (from: %s)' "\${_ksrc:-no apt source configured}"; }`,
    `ks_update() { ks_check && return 0; apt-get -q -o DPkg::Lock::Timeout=300 update >&2 || ks_fail "apt-get update failed\${_kdo:+, so not installed: $_kdo}$(ks_from)"; _kup=0; }`,
  ]
  if (p.name.length === 0) {
    lines.push('[ "$_kup" = 0 ] || ks_update')
    return lines.join('\n')
  }
  if (p.state === 'latest') {
    lines.push(
      '[ "$_kup" = 0 ] || ks_update',
      `_kdo=$(apt-cache policy ${names} 2>/dev/null | awk ${quote(APT_LATEST_AWK)})`,
      `_kmiss=$(dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${names} 2>/dev/null | awk ${quote(APT_DECIDE_AWK)})`,
      '_kdo=$(printf "%s %s" "$_kdo" "$_kmiss" | tr " " "\\n" | sort -u | tr "\\n" " " | sed "s/^ *//; s/ *$//")',
    )
  } else {
    lines.push(`_kdo=$(dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${names} 2>/dev/null | awk ${quote(APT_DECIDE_AWK)})`)
  }
  lines.push('[ -n "$_kdo" ] || exit 0')
  if (p.state === 'absent') {
    lines.push('ks_changed "remove: $_kdo"', 'ks_check && exit 0', `${apt} remove $_kdo >&2 || ks_fail "apt-get remove failed: $_kdo"`)
    return lines.join('\n')
  }
  lines.push(
    'ks_changed "install: $_kdo"',
    'ks_check && exit 0',
    '[ "$_kup" = 0 ] || ks_update',
    // A package unknown to a stale cache gets one more try after a refresh.
    `${apt}${rec} install $_kdo >&2 || { ks_update; ${apt}${rec} install $_kdo >&2; } || ks_fail "apt-get install failed: $_kdo$(ks_from)"`,
  )
  return lines.join('\n')
}

// Input: `rpm -q` output. A spec it does not know comes back as "package SPEC is not installed".
const RPM_MISSING_AWK = String.raw`
/^package .* is not installed$/ { sub(/^package /, ""); sub(/ is not installed$/, ""); out = out " " $0 }
END { print substr(out, 2) }
`

function dnfScript(p: PackageParams, ctx: PlanContext, mgr: string): string {
  checkNames(p.name, RPM_SPEC, ctx, 'name or name-version')
  const specs = shellJoin(p.name)
  const tool = `${mgr} -y -q`
  const lines = ['set -f']
  if (p.update_cache) lines.push(`ks_check || ${mgr} -q makecache >&2 || ks_fail ${quote(`${mgr} makecache failed`)}`)
  if (p.name.length === 0) return lines.join('\n')
  if (p.state === 'absent') {
    lines.push(
      `_kdo=$(for _kp in ${specs}; do rpm -q --quiet "$_kp" && printf '%s ' "$_kp"; done)`,
      '[ -n "$_kdo" ] || exit 0',
      'ks_changed "remove: $_kdo"',
      'ks_check && exit 0',
      `${tool} remove $_kdo >&2 || ks_fail "${mgr} remove failed: $_kdo"`,
    )
    return lines.join('\n')
  }
  lines.push(`_kdo=$(rpm -q ${specs} 2>/dev/null | awk ${quote(RPM_MISSING_AWK)})`)
  if (p.state === 'latest') {
    lines.push(`_kup=$(${mgr} -q check-update ${specs} 2>/dev/null | awk 'NF == 3 { sub(/\\.[^.]*$/, "", $1); printf "%s ", $1 }')`, '_kdo="$_kdo $_kup"')
  }
  lines.push(
    '_kdo=$(echo $_kdo)',
    '[ -n "$_kdo" ] || exit 0',
    'ks_changed "install: $_kdo"',
    'ks_check && exit 0',
    `${tool} install $_kdo >&2 || ks_fail "${mgr} install failed: $_kdo"`,
  )
  return lines.join('\n')
}
