import { KubeseedError } from '../engine/errors.js'

/** The sandbox could not be built, booted, reached or torn down on this machine. */
export class SandboxError extends KubeseedError {}
