// `kubeseed play PLAYBOOK` and the bundled playbooks as commands (cluster, scale, upgrade, reset,
// remove-node), with the one builder of run options every command that runs a playbook uses.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Argv } from 'yargs'
import { ExitCode, KubeseedError, UsageError } from '../engine/errors.js'
import { PLAYBOOKS_DIR } from '../engine/paths.js'
import { makeReporter } from '../engine/report/reporter.js'
import { parseExtraVars } from '../engine/run/extra-vars.js'
import type { RunSettings } from '../engine/run/runner.js'
import { runPlaybook, type RunOutcome, type SessionOptions } from '../engine/run/session.js'
import { artifactsVariable } from '../offline/artifacts-variable.js'
import { artifactsFor } from '../offline/manifest.js'
import * as registry from '../tasks/index.js'
import { askSecret } from './ask.js'

export const PLAYBOOK_COMMANDS: Record<string, string> = {
  cluster: 'Install or converge the cluster (kubespray cluster.yml)',
  scale: 'Add nodes to the cluster (kubespray scale.yml)',
  upgrade: 'Upgrade the cluster, node by node (kubespray upgrade-cluster.yml)',
  reset: 'Remove Kubernetes from the hosts (kubespray reset.yml)',
  'remove-node': 'Drain and remove nodes (kubespray remove-node.yml)',
}

/** Why kube_version cannot be installed from the offline manifest, or undefined when it can. */
function kubeVersionProblem(version: string): string | undefined {
  try {
    artifactsFor({ kubeVersion: version, arch: 'amd64' })
    return undefined
  } catch (e) {
    if (!(e instanceof KubeseedError)) throw e
    return 'not a release of the offline manifest (the releases are in offline/kubernetes-*.yaml: pick one, or add it there)'
  }
}

type Required = Pick<SessionOptions, 'inventories' | 'playbook' | 'sink'>

/** A run's options: what the command sets, kubeseed's defaults (and task registry, offline artifacts) for the rest. */
export function sessionOptions(o: Required & Partial<SessionOptions>): SessionOptions {
  return {
    registry, extraVars: {}, tags: [], skipTags: [], check: false, diff: false, forks: 50,
    acceptNewHostKeys: false, knownHostsFiles: [], hostMagic: artifactsVariable(), kubeVersionProblem, ...o,
  }
}

/** Runs a playbook with the given options; the reporter is closed whatever happens. */
export async function runWith(o: Required & Partial<SessionOptions>): Promise<RunOutcome> {
  try {
    return await runPlaybook(sessionOptions(o))
  } finally {
    await o.sink.close?.()
  }
}

interface PlayArgs extends Omit<RunSettings, 'extraVars' | 'sink'> {
  inventory: string[]
  extraVars: string[]
  verbose: number
  output: 'text' | 'json'
  progress: boolean
  acceptNewHostKeys: boolean
  knownHosts: string[]
  askPass: boolean
  askBecomePass: boolean
  privateKey?: string
  user?: string
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean)

function playOptions<T>(y: Argv<T>) {
  return y
    .option('inventory', { alias: 'i', type: 'string', array: true, demandOption: true, describe: 'inventory file or directory (repeatable)' })
    .option('extra-vars', { alias: 'e', type: 'string', array: true, default: [], describe: 'k=v, JSON/YAML, or @file (repeatable)' })
    .option('limit', { alias: 'l', type: 'string', describe: 'further limit hosts with a pattern' })
    .option('tags', { alias: 't', type: 'string', array: true, default: [], describe: 'only tasks with these tags' })
    .option('skip-tags', { type: 'string', array: true, default: [], describe: 'skip tasks with these tags' })
    .option('check', { alias: 'C', type: 'boolean', default: false, describe: 'change nothing; report what would change' })
    .option('diff', { alias: 'D', type: 'boolean', default: false, describe: 'show file differences' })
    .option('forks', { alias: 'f', type: 'number', default: 50, describe: 'hosts in flight at once' })
    .option('verbose', { alias: 'v', type: 'count', describe: 'more output (-vv: command output)' })
    .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text, or NDJSON events' })
    .option('progress', { type: 'boolean', default: true, describe: 'live progress on a terminal (--no-progress: plain lines)' })
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust and record SSH host keys not yet known' })
    .option('known-hosts', { type: 'string', array: true, default: [], describe: 'extra known_hosts file (repeatable)' })
    .option('ask-pass', { alias: 'k', type: 'boolean', default: false, describe: 'ask for the SSH password' })
    .option('ask-become-pass', { alias: 'K', type: 'boolean', default: false, describe: 'ask for the sudo password' })
    .option('private-key', { type: 'string', describe: 'SSH private key file (ansible_ssh_private_key_file)' })
    .option('user', { alias: 'u', type: 'string', describe: 'remote user (ansible_user)' })
}

/**
 * Ctrl-C (or SIGTERM) during a run: no task starts after it, the scripts running on the hosts are stopped
 * (their traps remove their temporary files) and the run ends with its recap. A second one, or 10 s without
 * an end, quits at once.
 */
function stopOnSignal(): { signal: AbortSignal; release(): void } {
  const stop = new AbortController()
  let deadline: NodeJS.Timeout | undefined
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(ExitCode.interrupted)
    process.stderr.write('kubeseed: interrupted: stopping the tasks running on the hosts (press Ctrl-C again to quit at once)\n')
    stop.abort()
    deadline = setTimeout(() => process.exit(ExitCode.interrupted), 10_000)
    deadline.unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: stop.signal,
    release: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      if (deadline) clearTimeout(deadline)
    },
  }
}

/** The last lines of an interrupted run: which hosts were stopped in which task, and what to do. */
function interruptedLines(outcome: RunOutcome): string {
  const where = outcome.interrupted.map((x) => `${x.host} (task "${x.task}")`)
  return [
    where.length ? `kubeseed: interrupted; stopped mid-task on ${where.join(', ')}` : 'kubeseed: interrupted between tasks; no host was mid-task',
    'kubeseed: no task was started after the interruption; run the same command again to finish (tasks are idempotent)',
  ].map((l) => `${l}\n`).join('')
}

async function play(playbook: string, a: PlayArgs): Promise<number> {
  if (!Number.isInteger(a.forks) || a.forks < 1) throw new UsageError(`--forks ${a.forks}: must be a whole number of 1 or more`, undefined, 'the default is 50')
  const sshPassword = a.askPass ? await askSecret('SSH password: ') : undefined
  const becomePassword = a.askBecomePass ? await askSecret('BECOME password: ') : undefined
  const sink = await makeReporter({ output: a.output, verbose: a.verbose, diff: a.diff, progress: a.progress })
  const stop = stopOnSignal()
  const outcome = await runWith({
    signal: stop.signal,
    inventories: a.inventory, playbook, sink,
    extraVars: parseExtraVars(a.extraVars), limit: a.limit, tags: list(a.tags), skipTags: list(a.skipTags),
    check: a.check, diff: a.diff, forks: a.forks,
    acceptNewHostKeys: a.acceptNewHostKeys, knownHostsFiles: a.knownHosts,
    sshPassword, becomePassword, privateKeyFile: a.privateKey, remoteUser: a.user,
  }).finally(() => stop.release())
  if (outcome.code === ExitCode.interrupted) {
    // Handshakes still under way would keep the process alive until their timeout.
    process.stderr.write(interruptedLines(outcome), () => process.exit(ExitCode.interrupted))
  }
  return outcome.code
}

export function bundledPlaybook(name: string): string {
  const file = [join(PLAYBOOKS_DIR, `${name}.yaml`), join(PLAYBOOKS_DIR, `${name}.yml`)].find((f) => existsSync(f))
  if (!file) throw new KubeseedError(`the ${name} playbook is not part of this kubeseed yet`, undefined, `see ${PLAYBOOKS_DIR}`)
  return file
}

export function playCommands<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  let out = cli.command('play <playbook>', 'Run a playbook', (y) => playOptions(y).positional('playbook', { type: 'string', demandOption: true }),
    async (a) => setCode(await play(String(a.playbook), a as unknown as PlayArgs)))
  for (const [name, describe] of Object.entries(PLAYBOOK_COMMANDS)) {
    out = out.command(name, describe, (y) => playOptions(y), async (a) => setCode(await play(bundledPlaybook(name), a as unknown as PlayArgs)))
  }
  return out
}
