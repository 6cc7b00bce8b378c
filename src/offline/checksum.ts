// sha256 of a file on disk, streamed (bundle files reach hundreds of MB).

import { createReadStream } from 'node:fs'
import { createHash } from 'node:crypto'

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** sha256 of a file, or undefined when it does not exist. */
export async function sha256IfExists(path: string): Promise<string | undefined> {
  try {
    return await sha256File(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}
