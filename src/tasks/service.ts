// service: Ansible's generic service module, managed here with systemd's semantics (kubeadm hosts run systemd).

import { PlaybookError } from '../engine/errors.js'
import type { RemoteTaskType } from '../engine/task.js'
import { SYSTEMD_STATES, systemdScript } from './systemd.js'

export interface ServiceParams {
  name: string
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded'
  enabled?: boolean
}

export const service: RemoteTaskType<ServiceParams> = {
  kind: 'remote',
  name: 'service',
  supportsCheck: true,
  params: {
    name: { type: 'string', required: true },
    state: { type: 'string', choices: SYSTEMD_STATES },
    enabled: { type: 'bool' },
  },
  validate(p, where) {
    if (p.state === undefined && p.enabled === undefined) {
      throw new PlaybookError(`service: nothing to do for ${p.name}`, where, 'give state: and/or enabled:')
    }
  },
  plan(p) {
    return { script: systemdScript({ ...p, daemon_reload: false, daemon_reexec: false, no_block: false }) }
  },
}
