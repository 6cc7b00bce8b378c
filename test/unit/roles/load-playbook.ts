// A playbook loaded as `kubeseed play` loads it: every role found, every module known, every parameter valid.

import type { Where } from '../../../src/engine/errors.js'
import { combineArgs, parseParams } from '../../../src/engine/params.js'
import { ROLES_DIR } from '../../../src/engine/paths.js'
import { loadPlaybook } from '../../../src/engine/playbook/load.js'
import type { Playbook } from '../../../src/engine/playbook/model.js'
import * as registry from '../../../src/tasks/index.js'

export function loadPlaybookFile(file: string): Playbook {
  const module = (n: string) => {
    const t = registry.taskType(n)
    if (!t) return undefined
    return {
      name: t.name,
      check: (args: unknown, where: Where) => { parseParams(t, args, where, { templated: false }) },
      combine: (text: string, extra: Record<string, unknown>, where: Where) => combineArgs(t, text, extra, where),
    }
  }
  return loadPlaybook(file, { module, moduleNames: () => registry.taskTypeNames(), rolesPath: [ROLES_DIR] })
}
