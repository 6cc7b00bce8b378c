import { KubeseedError } from '../engine/errors.js'

/** Bad offline manifest data, or a bundle that does not match its index. */
export class ManifestError extends KubeseedError {}

/** A download, image copy or package fetch for a bundle failed. */
export class BundleError extends KubeseedError {}
