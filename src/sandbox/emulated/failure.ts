// The error every emulated command fails with: its message is exactly what the real tool prints.
import { KubeseedError } from '../../engine/errors.js'

export class EmulatedFailure extends KubeseedError {
  override readonly exitCode: number
  constructor(message: string, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}
