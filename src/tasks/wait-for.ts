// wait_for: wait until a TCP port accepts connections (or stops), or a file appears (or goes), optionally
// holding a regex. The loop runs on the host, in sh. A port is probed with the first of these the host
// has: `nc -z` (netcat), `curl telnet://` under `timeout` (connected = still running after 2 s, or a
// clean exit), bash's /dev/tcp. Debian and RHEL hosts always have one of them (bash is essential there).

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { pythonToEre, RegexTranslationError } from './shared/python-regex.js'

export interface WaitForParams {
  host: string
  port?: number
  path?: string
  state: 'started' | 'stopped' | 'present' | 'absent'
  timeout: number
  delay: number
  sleep: number
  search_regex?: string
  msg?: string
}

export const PORT_PROBE = String.raw`
ks_port_open() {
  if command -v nc >/dev/null 2>&1; then nc -z -w 1 "$1" "$2" >/dev/null 2>&1; return; fi
  if command -v curl >/dev/null 2>&1; then
    timeout 2 curl -s --connect-timeout 1 -o /dev/null "telnet://$1:$2" </dev/null >/dev/null 2>&1
    case $? in 0|124) return 0 ;; *) return 1 ;; esac
  fi
  if command -v bash >/dev/null 2>&1; then timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; return; fi
  ks_fail 'wait_for needs nc, curl or bash on the host to probe a port'
}`

export const waitFor: RemoteTaskType<WaitForParams> = {
  kind: 'remote',
  name: 'wait_for',
  supportsCheck: true,
  params: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'int' },
    path: { type: 'path' },
    state: { type: 'string', choices: ['started', 'stopped', 'present', 'absent'], default: 'started' },
    timeout: { type: 'int', default: 300 },
    delay: { type: 'int', default: 0 },
    sleep: { type: 'int', default: 1 },
    search_regex: { type: 'string' },
    msg: { type: 'string' },
  },
  validate(p, where) {
    if ((p.port === undefined) === (p.path === undefined)) {
      throw new PlaybookError('wait_for: give exactly one of "port" and "path"', where, 'e.g. port: 6443, or path: /etc/kubernetes/admin.conf')
    }
    if (p.search_regex !== undefined && p.path === undefined) {
      throw new PlaybookError('wait_for: search_regex works with "path" only', where, 'drop search_regex or wait for a path')
    }
  },
  plan(p, ctx) {
    let cond: string
    let what: string
    if (p.port !== undefined) {
      const open = `ks_port_open ${quote(p.host)} ${p.port}`
      cond = p.state === 'stopped' || p.state === 'absent' ? `! ${open}` : open
      what = `port ${p.port} on ${p.host} to be ${p.state === 'stopped' || p.state === 'absent' ? 'closed' : 'open'}`
    } else {
      const path = quote(p.path!)
      if (p.state === 'absent' || p.state === 'stopped') {
        cond = `[ ! -e ${path} ]`
        what = `${p.path} to be gone`
      } else if (p.search_regex !== undefined) {
        let ere: string
        try {
          ere = pythonToEre(p.search_regex)
        } catch (e) {
          if (!(e instanceof RegexTranslationError)) throw e
          throw new PlaybookError(`wait_for: search_regex ${JSON.stringify(p.search_regex)}: ${e.message}`, ctx.where, 'rewrite it with POSIX ERE features')
        }
        cond = `{ [ -f ${path} ] && grep -Eq ${quote(ere)} ${path}; }`
        what = `${p.path} to match ${p.search_regex}`
      } else {
        cond = `[ -e ${path} ]`
        what = `${p.path} to exist`
      }
    }
    const failMsg = p.msg ?? `timeout after ${p.timeout}s waiting for ${what}`
    return {
      script: [
        PORT_PROBE,
        // Nothing changes on the host; in check mode the wait still runs, like Ansible.
        `[ ${p.delay} -gt 0 ] && sleep ${p.delay}`,
        `_kend=$(( $(date +%s) + ${p.timeout} ))`,
        'while :; do',
        `  if ${cond}; then echo ${quote(`done waiting for ${what}`)}; exit 0; fi`,
        `  [ "$(date +%s)" -lt "$_kend" ] || ks_fail ${quote(failMsg)}`,
        `  sleep ${p.sleep}`,
        'done',
      ].join('\n'),
    }
  },
}
