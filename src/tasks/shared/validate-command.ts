// The `validate:` option of copy/template/lineinfile: a command run on the new content before it is
// installed, `%s` standing for the file (Ansible runs it without a shell, so it is split like shlex).

import { PlaybookError, type Where } from '../../engine/errors.js'
import { shlexSplit } from '../../engine/shlex.js'
import { quote } from '../../engine/quote.js'

/** Shell text that runs `validate` on the file named by the shell expression `fileExpr` (e.g. "$KS_P0"). */
export function validateCommand(validate: string, fileExpr: string, where: Where): string {
  if (!validate.includes('%s')) {
    throw new PlaybookError(`validate command "${validate}" has no %s`, where, 'write %s where the file name goes, e.g. visudo -cf %s')
  }
  let words: string[]
  try {
    words = shlexSplit(validate)
  } catch (e) {
    throw new PlaybookError(`validate command cannot be split: ${(e as Error).message}`, where, 'balance its quotes')
  }
  const argv = words.map((w) => w.split('%s').map((part) => (part ? quote(part) : '')).join(fileExpr))
  const run = `${argv.join(' ')} >&2 || ks_fail ${quote(`validation failed: ${validate}`)}`
  // In check mode the package that brings the validator may be what an earlier task would install.
  return `if ks_check && ! command -v ${argv[0]} >/dev/null 2>&1; then echo ${quote(`not validated: ${words[0]} is not installed yet`)}; else ${run}; fi`
}
