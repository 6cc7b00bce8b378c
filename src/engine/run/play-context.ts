// Where a task runs: the play, the hosts of the play and of the current serial batch.

import type { PlayDef } from '../playbook/model.js'

export interface PlayCtx {
  play: PlayDef
  playHosts: string[]
  batch: string[]
  /** Hosts of the batch neither failed, unreachable nor ended. */
  alive: () => string[]
  /** any_errors_fatal or max_fail_percentage stopped the play. */
  aborted: boolean
  /** Shared by the play's batches: meta end_play ends them all. */
  playEnd: { ended: boolean }
  /** Blocks with a rescue being run: their failures are judged by any_errors_fatal only once rescue had its turn. */
  rescuable?: number
}
