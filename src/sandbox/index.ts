// The sandbox's public face: what the CLI's `sandbox up|down|ls|ssh` and the e2e tests call.

export { sandboxUp, type SandboxUpOptions, type SandboxUpResult } from './up.js'
export { sandboxDown, type SandboxDownOptions, type SandboxDownResult } from './down.js'
export { sandboxList, type SandboxSummary } from './list.js'
export { sandboxSsh, sshArgs, sshTarget, loadSandbox, type SandboxSshOptions, type SshResult, type SshTarget } from './ssh.js'
export { DEFAULT_NAME, DEFAULT_NODES, DEFAULT_SUBNET, DEPLOY_USER } from './defaults.js'
export { SandboxError } from './sandbox-error.js'
export type { SandboxState, NodeState } from './state.js'
export type { NodeReadiness } from './ready.js'
