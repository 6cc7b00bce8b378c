// The emulated kubeadm command line: cobra-like subcommands, flags and messages.
import { dump } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { readHostFile } from '../host/paths.js'
import { parseFlags, list, str, isSet, type FlagSpec, type FlagValues } from '../flags.js'
import { decodeConfigText, type DecodedConfig } from '../decode/documents.js'
import { emulatedVersion, emulationLabel } from '../build-info.js'
import { formatVersion, type KubeVersion } from '../versions.js'
import { initModel, joinModel, clusterModel, validateToken } from './config-model.js'
import { runInit, INIT_PHASES, joinCommand, uploadCerts } from './init.js'
import { runJoin } from './join.js'
import { runReset } from './reset.js'
import { upgradeApply, upgradeNode, upgradePlan } from './upgrade.js'
import { requiredImages } from './images.js'
import { generateCertificateKey } from './upload-certs.js'
import { clientFor, createOrUpdate } from './cluster-api.js'
import { generateToken, tokenSecret } from '../bootstrap-tokens.js'
import { caCertHash } from '../pki/x509.js'
import { KUBECONFIG_DIR } from './kubeconfigs.js'
import { parseKubeconfig } from '../kubeconfig.js'
import { runApiServerFromManifest } from '../apiserver/from-manifest.js'
import { parseGoDuration } from '../decode/duration.js'
import { parseFeatureGatesFlag } from './feature-gates.js'

const log = (s: string): void => {
  process.stdout.write(`${s}\n`)
}
const common: FlagSpec[] = [{ name: 'v', kind: 'int' }, { name: 'help', kind: 'bool', short: 'h' }, { name: 'rootfs', kind: 'string' }]

const INIT_FLAGS: FlagSpec[] = [
  ...common,
  { name: 'config', kind: 'string' },
  { name: 'apiserver-advertise-address', kind: 'string' },
  { name: 'apiserver-bind-port', kind: 'int' },
  { name: 'apiserver-cert-extra-sans', kind: 'list' },
  { name: 'kubernetes-version', kind: 'string' },
  { name: 'pod-network-cidr', kind: 'string' },
  { name: 'service-cidr', kind: 'string' },
  { name: 'service-dns-domain', kind: 'string' },
  { name: 'node-name', kind: 'string' },
  { name: 'cri-socket', kind: 'string' },
  { name: 'token', kind: 'string' },
  { name: 'token-ttl', kind: 'string' },
  { name: 'control-plane-endpoint', kind: 'string' },
  { name: 'image-repository', kind: 'string' },
  { name: 'cert-dir', kind: 'string' },
  { name: 'upload-certs', kind: 'bool' },
  { name: 'certificate-key', kind: 'string' },
  { name: 'skip-phases', kind: 'list' },
  { name: 'ignore-preflight-errors', kind: 'list' },
  { name: 'dry-run', kind: 'bool' },
  { name: 'skip-token-print', kind: 'bool' },
  { name: 'skip-certificate-key-print', kind: 'bool' },
  { name: 'feature-gates', kind: 'string' },
  { name: 'patches', kind: 'string' },
]

const JOIN_FLAGS: FlagSpec[] = [
  ...common,
  { name: 'config', kind: 'string' },
  { name: 'token', kind: 'string' },
  { name: 'discovery-token', kind: 'string' },
  { name: 'discovery-token-ca-cert-hash', kind: 'list' },
  { name: 'discovery-token-unsafe-skip-ca-verification', kind: 'bool' },
  { name: 'discovery-file', kind: 'string' },
  { name: 'tls-bootstrap-token', kind: 'string' },
  { name: 'control-plane', kind: 'bool' },
  { name: 'certificate-key', kind: 'string' },
  { name: 'apiserver-advertise-address', kind: 'string' },
  { name: 'apiserver-bind-port', kind: 'int' },
  { name: 'node-name', kind: 'string' },
  { name: 'cri-socket', kind: 'string' },
  { name: 'ignore-preflight-errors', kind: 'list' },
  { name: 'skip-phases', kind: 'list' },
  { name: 'dry-run', kind: 'bool' },
  { name: 'patches', kind: 'string' },
]

/**
 * Flags kubeadm allows next to --config (isAllowedFlag in cmd/kubeadm/app/apis/kubeadm/validation):
 * these and every "skip-*" flag. Any other set flag is "can not mix", listed in pflag's (sorted) order.
 */
const MIXABLE = new Set(['config', 'ignore-preflight-errors', 'dry-run', 'kubeconfig', 'node-name', 'kubeconfig-dir',
  'upload-certs', 'print-join-command', 'rootfs', 'v', 'log-file', 'yes'])

export function mixedFlags(set: string[]): string[] {
  if (!set.includes('config')) return []
  return [...new Set(set)].filter((f) => !MIXABLE.has(f) && !f.startsWith('skip-')).sort()
}

function rejectMixing(set: string[]): void {
  const bad = mixedFlags(set)
  if (bad.length) throw new EmulatedFailure(`can not mix '--config' with arguments [${bad.join(' ')}]`)
}

const DRY_RUN_REFUSAL = 'dry-run is not supported by the kubeseed sandbox emulation of kubeadm: run without --dry-run (or dryRun: true)'

/** Options the emulation cannot honour: refusing them beats silently doing something else. */
function rejectUnsupported(flags: FlagValues, cfg?: DecodedConfig): void {
  const dryRunInConfig = cfg?.documents.some((d) => d.body.dryRun === true) ?? false
  if (isSet(flags, 'dry-run') || dryRunInConfig) throw new EmulatedFailure(DRY_RUN_REFUSAL)
  const patches = str(flags, 'patches') ?? cfg?.documents.map((d) => (d.body.patches as { directory?: string } | undefined)?.directory).find(Boolean)
  if (patches) process.stderr.write(`[patches] WARNING: the sandbox emulation does not apply the patches in "${patches}"\n`)
}

/** A dry run asked for by flag or by a Reset/UpgradeConfiguration document. */
function dryRunRequested(flags: FlagValues, cfg: DecodedConfig | undefined, section?: 'apply' | 'node'): boolean {
  if (isSet(flags, 'dry-run')) return true
  return cfg?.documents.some((d) => d.body.dryRun === true || (section !== undefined && (d.body[section] as { dryRun?: unknown } | undefined)?.dryRun === true)) ?? false
}

function readConfig(path: string, minor: number): DecodedConfig {
  const text = readHostFile(path)
  if (text === undefined) throw new EmulatedFailure(`unable to read config from "${path}" : open ${path}: no such file or directory`)
  const cfg = decodeConfigText(text, minor)
  for (const w of cfg.warnings) process.stderr.write(`${w}\n`)
  return cfg
}

const v4 = 'kubeadm.k8s.io/v1beta4'

function initConfigFromFlags(flags: FlagValues, v: KubeVersion): DecodedConfig {
  const cluster: Record<string, unknown> = { apiVersion: v4, kind: 'ClusterConfiguration' }
  const init: Record<string, unknown> = { apiVersion: v4, kind: 'InitConfiguration' }
  const kv = str(flags, 'kubernetes-version')
  cluster.kubernetesVersion = kv && kv !== 'stable-1' && kv !== 'stable' ? kv : formatVersion(v)
  if (str(flags, 'control-plane-endpoint')) cluster.controlPlaneEndpoint = str(flags, 'control-plane-endpoint')
  if (str(flags, 'image-repository')) cluster.imageRepository = str(flags, 'image-repository')
  if (str(flags, 'cert-dir')) cluster.certificatesDir = str(flags, 'cert-dir')
  const networking: Record<string, string> = {}
  if (str(flags, 'pod-network-cidr')) networking.podSubnet = str(flags, 'pod-network-cidr')!
  if (str(flags, 'service-cidr')) networking.serviceSubnet = str(flags, 'service-cidr')!
  if (str(flags, 'service-dns-domain')) networking.dnsDomain = str(flags, 'service-dns-domain')!
  cluster.networking = networking
  if (list(flags, 'apiserver-cert-extra-sans').length) cluster.apiServer = { certSANs: list(flags, 'apiserver-cert-extra-sans') }
  const ep: Record<string, unknown> = {}
  if (str(flags, 'apiserver-advertise-address')) ep.advertiseAddress = str(flags, 'apiserver-advertise-address')
  if (flags['apiserver-bind-port'] !== undefined) ep.bindPort = flags['apiserver-bind-port']
  init.localAPIEndpoint = ep
  const reg: Record<string, unknown> = {}
  if (str(flags, 'node-name')) reg.name = str(flags, 'node-name')
  if (str(flags, 'cri-socket')) reg.criSocket = str(flags, 'cri-socket')
  init.nodeRegistration = reg
  if (str(flags, 'feature-gates')) cluster.featureGates = parseFeatureGatesFlag(str(flags, 'feature-gates')!, v.minor)
  if (str(flags, 'token') || str(flags, 'token-ttl')) {
    init.bootstrapTokens = [{ ...(str(flags, 'token') ? { token: str(flags, 'token') } : {}), ...(str(flags, 'token-ttl') ? { ttl: str(flags, 'token-ttl') } : {}) }]
  }
  const docs = [init, cluster]
  return decodeConfigText(docs.map((d) => dump(d)).join('---\n'), v.minor)
}

async function cmdInit(args: string[], phase?: string): Promise<void> {
  const v = emulatedVersion()
  const { flags, set } = parseFlags(args, INIT_FLAGS)
  rejectMixing(set)
  const cfg = str(flags, 'config') ? readConfig(str(flags, 'config')!, v.minor) : initConfigFromFlags(flags, v)
  rejectUnsupported(flags, cfg)
  const model = initModel(cfg, v)
  if (str(flags, 'certificate-key')) model.certificateKey = str(flags, 'certificate-key')
  if (str(flags, 'node-name')) model.nodeRegistration.name = str(flags, 'node-name')!
  let skip = list(flags, 'skip-phases')
  if (phase) {
    const top = phase.split('/')[0]!
    if (!(INIT_PHASES as readonly string[]).includes(top)) throw new EmulatedFailure(`unknown command "${phase}" for "kubeadm init phase"`)
    skip = INIT_PHASES.filter((p) => p !== top)
  }
  await runInit({
    model,
    kubeadmVersion: v,
    uploadCerts: isSet(flags, 'upload-certs'),
    skipPhases: skip,
    ignorePreflightErrors: list(flags, 'ignore-preflight-errors'),
    skipTokenPrint: isSet(flags, 'skip-token-print'),
    skipCertificateKeyPrint: isSet(flags, 'skip-certificate-key-print'),
    log,
  })
}

async function cmdJoin(args: string[]): Promise<void> {
  const v = emulatedVersion()
  const { flags, set, positional } = parseFlags(args, JOIN_FLAGS)
  rejectMixing(set)
  let cfg: DecodedConfig
  if (str(flags, 'config')) {
    if (positional.length) throw new EmulatedFailure(`can not mix '--config' with arguments [${positional.join(' ')}]`)
    cfg = readConfig(str(flags, 'config')!, v.minor)
  } else {
    if (!positional[0] && !str(flags, 'discovery-file')) {
      throw new EmulatedFailure('discovery: Invalid value: "": bootstrapToken or file must be set')
    }
    const token = str(flags, 'discovery-token') ?? str(flags, 'token') ?? ''
    const discovery: Record<string, unknown> = str(flags, 'discovery-file')
      ? { file: { kubeConfigPath: str(flags, 'discovery-file') } }
      : { bootstrapToken: { token, apiServerEndpoint: positional[0], caCertHashes: list(flags, 'discovery-token-ca-cert-hash'), unsafeSkipCAVerification: isSet(flags, 'discovery-token-unsafe-skip-ca-verification') } }
    const tls = str(flags, 'tls-bootstrap-token') ?? str(flags, 'token')
    if (tls) discovery.tlsBootstrapToken = tls
    const join: Record<string, unknown> = { apiVersion: v4, kind: 'JoinConfiguration', discovery, nodeRegistration: {} }
    const reg = join.nodeRegistration as Record<string, unknown>
    if (str(flags, 'node-name')) reg.name = str(flags, 'node-name')
    if (str(flags, 'cri-socket')) reg.criSocket = str(flags, 'cri-socket')
    if (isSet(flags, 'control-plane')) {
      join.controlPlane = {
        localAPIEndpoint: {
          ...(str(flags, 'apiserver-advertise-address') ? { advertiseAddress: str(flags, 'apiserver-advertise-address') } : {}),
          ...(flags['apiserver-bind-port'] !== undefined ? { bindPort: flags['apiserver-bind-port'] } : {}),
        },
        ...(str(flags, 'certificate-key') ? { certificateKey: str(flags, 'certificate-key') } : {}),
      }
    }
    cfg = decodeConfigText(dump(join), v.minor)
  }
  rejectUnsupported(flags, cfg)
  const model = joinModel(cfg)
  if (model.controlPlane && str(flags, 'certificate-key')) model.controlPlane.certificateKey = str(flags, 'certificate-key')!
  if (str(flags, 'node-name')) model.nodeRegistration.name = str(flags, 'node-name')!
  await runJoin({ model, kubeadmVersion: v, ignorePreflightErrors: list(flags, 'ignore-preflight-errors'), log })
}

async function cmdToken(args: string[]): Promise<void> {
  const [sub, ...rest] = args
  const { flags, positional, set } = parseFlags(rest, [...common,
    { name: 'print-join-command', kind: 'bool' }, { name: 'ttl', kind: 'string' }, { name: 'description', kind: 'string' },
    { name: 'usages', kind: 'list' }, { name: 'groups', kind: 'list' }, { name: 'kubeconfig', kind: 'string' },
    { name: 'certificate-key', kind: 'string' }, { name: 'config', kind: 'string' }, { name: 'dry-run', kind: 'bool' },
    { name: 'output', kind: 'string', short: 'o' }])
  const admin = clientFor(str(flags, 'kubeconfig') ?? `${KUBECONFIG_DIR}/admin.conf`)
  if (sub === 'create') {
    rejectMixing(set)
    const token = positional[0] ?? generateToken()
    validateToken(token, 'token')
    const ttl = parseGoDuration(str(flags, 'ttl') ?? '24h')
    if (ttl === undefined) throw new EmulatedFailure(`invalid argument "${str(flags, 'ttl')}" for "--ttl" flag: time: invalid duration "${str(flags, 'ttl')}"`)
    const secret = tokenSecret({
      token, ...(str(flags, 'description') ? { description: str(flags, 'description')! } : {}), ttlMs: ttl / 1e6,
      usages: list(flags, 'usages').length ? list(flags, 'usages') : ['signing', 'authentication'],
      groups: list(flags, 'groups').length ? list(flags, 'groups') : ['system:bootstrappers:kubeadm:default-node-token'],
    })
    // A dry run goes through kubeadm's dry-run client: the Secret is printed about, never stored.
    if (isSet(flags, 'dry-run')) log(`[dryrun] Would perform action CREATE on resource "secrets" in API group "core/v1" (Secret "bootstrap-token-${token.split('.')[0]}" in namespace "kube-system")`)
    else await createOrUpdate(admin, 'secrets', secret)
    if (!isSet(flags, 'print-join-command')) return log(token)
    const k = parseKubeconfig(readHostFile(`${KUBECONFIG_DIR}/admin.conf`)!, 'admin.conf')
    const cm = await admin.get<{ data?: Record<string, string> }>('/api/v1/namespaces/kube-public/configmaps/cluster-info')
    const server = /server:\s*(\S+)/.exec(cm.data?.kubeconfig ?? '')?.[1] ?? k.server
    const key = str(flags, 'certificate-key')
    return log(`${joinCommand(server.replace('https://', ''), token, caCertHash(k.caData), key).replace(/ \\\n\t/g, ' ')} `)
  }
  if (sub === 'list') {
    const secrets = await admin.get<{ items: Array<{ type?: string; data?: Record<string, string> }> }>('/api/v1/namespaces/kube-system/secrets')
    log('TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION                                                EXTRA GROUPS')
    for (const s of secrets.items.filter((x) => x.type === 'bootstrap.kubernetes.io/token')) {
      const d = (k: string) => (s.data?.[k] ? Buffer.from(s.data[k]!, 'base64').toString() : '')
      log(`${d('token-id')}.${d('token-secret')}   ${d('expiration')}   ${d('description')}   ${d('auth-extra-groups')}`)
    }
    return
  }
  if (sub === 'delete') {
    for (const t of positional) await admin.call('DELETE', `/api/v1/namespaces/kube-system/secrets/bootstrap-token-${t.split('.')[0]}`)
    return
  }
  if (sub === 'generate') return log(generateToken())
  throw new EmulatedFailure(`unknown command "${sub ?? ''}" for "kubeadm token"`)
}

function cmdVersion(args: string[]): void {
  const { flags } = parseFlags(args, [...common, { name: 'output', kind: 'string', short: 'o' }])
  const v = formatVersion(emulatedVersion())
  const info = { clientVersion: { major: String(emulatedVersion().major), minor: String(emulatedVersion().minor), gitVersion: v, platform: 'linux/amd64', emulation: emulationLabel('kubeadm') } }
  const o = str(flags, 'output')
  if (o === 'short') return log(v)
  if (o === 'json') return log(JSON.stringify(info, null, 2))
  if (o === 'yaml') return log(dump(info).trimEnd())
  if (o) throw new EmulatedFailure(`error: invalid output format: ${o}`)
  log(`kubeadm version: &version.Info{Major:"${info.clientVersion.major}", Minor:"${info.clientVersion.minor}", GitVersion:"${v}", Platform:"linux/amd64"} (${emulationLabel('kubeadm')})`)
}

async function cmdConfig(args: string[]): Promise<void> {
  const v = emulatedVersion()
  if (args[0] === 'images' && args[1] === 'list') {
    const { flags } = parseFlags(args.slice(2), [...common, { name: 'config', kind: 'string' }, { name: 'kubernetes-version', kind: 'string' },
      { name: 'image-repository', kind: 'string' }, { name: 'output', kind: 'string', short: 'o' }, { name: 'feature-gates', kind: 'string' }])
    const cfg = str(flags, 'config') ? readConfig(str(flags, 'config')!, v.minor) : undefined
    const clusterDoc = cfg?.documents.find((d) => d.kind === 'ClusterConfiguration')?.body ?? {}
    const raw: Record<string, unknown> = { ...clusterDoc }
    if (str(flags, 'kubernetes-version')) raw.kubernetesVersion = str(flags, 'kubernetes-version')
    if (str(flags, 'image-repository')) raw.imageRepository = str(flags, 'image-repository')
    for (const image of requiredImages(clusterModel(raw, v4, v))) log(image)
    return
  }
  if (args[0] === 'validate') {
    const { flags } = parseFlags(args.slice(1), [...common, { name: 'config', kind: 'string' }, { name: 'allow-experimental-api', kind: 'bool' }])
    if (!str(flags, 'config')) throw new EmulatedFailure('the --config flag is mandatory')
    const cfg = readConfig(str(flags, 'config')!, v.minor)
    // Validated as init or join would take it: decoding, then the semantic checks (feature gates, tokens, hashes...).
    const kinds = new Set(cfg.documents.map((d) => d.kind))
    if (kinds.has('JoinConfiguration')) joinModel(cfg)
    if (kinds.has('InitConfiguration') || kinds.has('ClusterConfiguration')) initModel(cfg, v)
    return log('ok')
  }
  throw new EmulatedFailure(`unknown command "${args.join(' ')}" for "kubeadm config"`)
}

async function cmdCerts(args: string[]): Promise<void> {
  if (args[0] === 'certificate-key') return log(generateCertificateKey())
  throw new EmulatedFailure(`unknown command "${args[0] ?? ''}" for "kubeadm certs"`)
}

async function cmdUploadCerts(args: string[]): Promise<void> {
  const { flags, set } = parseFlags(args, INIT_FLAGS)
  rejectMixing(set)
  if (!isSet(flags, 'upload-certs')) return log('[upload-certs] Skipping phase. Please see --upload-certs')
  const v = emulatedVersion()
  const cfg = str(flags, 'config') ? readConfig(str(flags, 'config')!, v.minor) : initConfigFromFlags({}, v)
  const model = initModel(cfg, v)
  const key = str(flags, 'certificate-key') ?? model.certificateKey ?? generateCertificateKey()
  await uploadCerts(clientFor(`${KUBECONFIG_DIR}/admin.conf`), model.cluster, key, log)
}

function help(): void {
  log(`${emulationLabel('kubeadm')}

    ┌──────────────────────────────────────────────────────────┐
    │ KUBEADM                                                  │
    │ Easily bootstrap a secure Kubernetes cluster             │
    │ (sandbox emulation: no containers are run)               │
    └──────────────────────────────────────────────────────────┘

Usage:
  kubeadm [command]

Available Commands:
  certs       Commands related to handling kubernetes certificates
  config      Manage configuration for a kubeadm cluster persisted in a ConfigMap in the cluster
  init        Run this command in order to set up the Kubernetes control plane
  join        Run this on any machine you wish to join an existing cluster
  reset       Performs a best effort revert of changes made to this host by 'kubeadm init' or 'kubeadm join'
  token       Manage bootstrap tokens
  upgrade     Upgrade your cluster smoothly to a newer version with this command
  version     Print the version of kubeadm
  sandbox-apiserver  Run the API server emulator from the kube-apiserver static Pod manifest`)
}

const RESET_FLAGS: FlagSpec[] = [...common, { name: 'force', kind: 'bool', short: 'f' }, { name: 'cri-socket', kind: 'string' },
  { name: 'ignore-preflight-errors', kind: 'list' }, { name: 'cert-dir', kind: 'string' }, { name: 'kubeconfig', kind: 'string' },
  { name: 'skip-phases', kind: 'list' }, { name: 'dry-run', kind: 'bool' }, { name: 'cleanup-tmp-dir', kind: 'bool' }, { name: 'config', kind: 'string' }]

function cmdReset(args: string[]): void {
  const { flags, set } = parseFlags(args, RESET_FLAGS)
  rejectMixing(set)
  const cfg = str(flags, 'config') ? readConfig(str(flags, 'config')!, emulatedVersion().minor) : undefined
  runReset(isSet(flags, 'force') || cfg?.documents.some((d) => d.body.force === true) === true, log, dryRunRequested(flags, cfg))
}

const UPGRADE_FLAGS: FlagSpec[] = [...common, { name: 'yes', kind: 'bool', short: 'y' }, { name: 'force', kind: 'bool', short: 'f' },
  { name: 'config', kind: 'string' }, { name: 'ignore-preflight-errors', kind: 'list' }, { name: 'certificate-renewal', kind: 'bool' },
  { name: 'etcd-upgrade', kind: 'bool' }, { name: 'allow-experimental-upgrades', kind: 'bool' }, { name: 'allow-release-candidate-upgrades', kind: 'bool' },
  { name: 'kubeconfig', kind: 'string' }, { name: 'dry-run', kind: 'bool' }, { name: 'print-config', kind: 'bool' }, { name: 'skip-phases', kind: 'list' }]

async function cmdUpgrade(args: string[]): Promise<void> {
  const [sub, ...more] = args
  const { flags, positional, set } = parseFlags(more, UPGRADE_FLAGS)
  rejectMixing(set)
  const cfg = str(flags, 'config') ? readConfig(str(flags, 'config')!, emulatedVersion().minor) : undefined
  if (sub === 'plan') await upgradePlan(emulatedVersion(), positional[0], log)
  else if (sub === 'apply') await upgradeApply(emulatedVersion(), positional[0], isSet(flags, 'yes') || isSet(flags, 'force'), log, dryRunRequested(flags, cfg, 'apply'))
  else if (sub === 'node') await upgradeNode(emulatedVersion(), log, dryRunRequested(flags, cfg, 'node'))
  else throw new EmulatedFailure(`unknown command "${sub ?? ''}" for "kubeadm upgrade"`)
}

/** `kubeadm init phase <name>`: upload-certs is a command of its own; the others are init up to that phase. */
async function cmdInitPhase(args: string[]): Promise<void> {
  if (args[0] === 'upload-certs') await cmdUploadCerts(args.slice(1))
  else await cmdInit(args.slice(1).filter((a) => a !== 'all'), args[0])
}

/** Runs one kubeadm command; a failure is thrown. */
async function runCommand(cmd: string | undefined, args: string[]): Promise<void> {
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return help()
    case 'version': return cmdVersion(args)
    case 'init': return args[0] === 'phase' ? cmdInitPhase(args.slice(1)) : cmdInit(args)
    case 'join': return cmdJoin(args)
    case 'reset': return cmdReset(args)
    case 'token': return cmdToken(args)
    case 'certs': return cmdCerts(args)
    case 'config': return cmdConfig(args)
    case 'upgrade': return cmdUpgrade(args)
    case 'sandbox-apiserver':
      await runApiServerFromManifest(log)
      return new Promise(() => undefined)
    default:
      throw new EmulatedFailure(`unknown command "${cmd}" for "kubeadm"\nRun 'kubeadm --help' for usage.`)
  }
}

/** As kubeadm prints a failure: the stack trace only at --v=5 or higher. */
function reportFailure(e: unknown, cmd: string | undefined, argv: string[]): void {
  const msg = e instanceof Error ? e.message : String(e)
  if (argv.some((a) => /^--v=([5-9]|\d{2,})$/.test(a))) process.stderr.write(`${(e as Error).stack}\n`)
  process.stderr.write(`${/^(error execution phase|unknown|can not mix)/.test(msg) ? msg : `error execution phase ${cmd}: ${msg}`}\nTo see the stack trace of this error execute with --v=5 or higher\n`)
}

export async function kubeadmMain(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  try {
    await runCommand(cmd, rest)
    return 0
  } catch (e) {
    reportFailure(e, cmd, argv)
    return 1
  }
}
