// The bundle's apt repository signature. Each build makes its own key, signs Release (InRelease and
// Release.gpg) and throws the secret key away: nobody, not even whoever holds the bundle, can sign another
// Release with it. The public key travels in bundle.json to `offline serve`, which hands it to the nodes as an
// inventory variable; the mirror itself never serves it.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { runAny, type CommandResult } from '../engine/local-command.js'
import { runCommand } from './run-command.js'
import { BundleError } from './manifest-error.js'

export interface AptKey {
  /** The OpenPGP fingerprint, 40 uppercase hex digits. */
  fingerprint: string
  /** The ASCII-armored public key, as /etc/apt/keyrings/*.asc takes it. */
  publicKey: string
}

const FINGERPRINT = /^[0-9A-F]{40}$/
const ARMORED = /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+\n-----END PGP PUBLIC KEY BLOCK-----\n?$/

/** Is this a key record as bundle.json and the inventory variable carry it? */
export function isAptKey(v: unknown): v is AptKey {
  const k = v as AptKey
  return typeof k === 'object' && k !== null && typeof k.fingerprint === 'string' && FINGERPRINT.test(k.fingerprint)
    && typeof k.publicKey === 'string' && ARMORED.test(k.publicKey)
}

/** The fingerprint of the first primary key in `gpg --with-colons` output. */
export function fingerprintFromColons(colons: string): string | undefined {
  let primary = false
  for (const line of colons.split('\n')) {
    const f = line.split(':')
    if (f[0] === 'pub') primary = true
    else if (f[0] === 'sub') primary = false
    else if (f[0] === 'fpr' && primary && FINGERPRINT.test(f[9] ?? '')) return f[9]
  }
  return undefined
}

async function withGnupgHome<T>(fn: (gpg: (args: string[]) => Promise<CommandResult>, home: string) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'kubeseed-gpg-'))
  const gpg = (args: string[]) => runCommand('gpg', ['--homedir', home, '--batch', '--no-tty', '--quiet', ...args],
    { hint: 'install the Debian package gnupg' })
  try {
    return await fn(gpg, home)
  } finally {
    // gpg starts an agent for the key; it must not outlive the build.
    await runAny('gpgconf', ['--homedir', home, '--kill', 'all']).catch(() => undefined)
    await rm(home, { recursive: true, force: true })
  }
}

/** Sign `dir`/Release with a key made now: writes InRelease and Release.gpg, returns the public key. */
export async function signRelease(dir: string, label: string): Promise<AptKey> {
  return withGnupgHome(async (gpg) => {
    const pass = ['--pinentry-mode', 'loopback', '--passphrase', '']
    await gpg([...pass, '--quick-generate-key', label, 'ed25519', 'sign', 'never'])
    const fingerprint = fingerprintFromColons((await gpg(['--with-colons', '--list-keys'])).stdout)
    if (!fingerprint) throw new BundleError('gpg made a signing key but listed no fingerprint for it', undefined, 'check the gnupg installation')
    const sign = ['--yes', ...pass, '--local-user', fingerprint, '--digest-algo', 'SHA512']
    for (const f of ['InRelease', 'Release.gpg']) await rm(join(dir, f), { force: true })
    await gpg([...sign, '--clearsign', '--output', join(dir, 'InRelease'), join(dir, 'Release')])
    await gpg([...sign, '--detach-sign', '--armor', '--output', join(dir, 'Release.gpg'), join(dir, 'Release')])
    const publicKey = (await gpg(['--armor', '--export', fingerprint])).stdout
    return { fingerprint, publicKey }
  })
}

/**
 * Does `dir`/InRelease carry a good signature by exactly `key`? Throws a BundleError naming the repository
 * otherwise: `offline serve` refuses to hand the nodes a key that does not sign what it serves.
 */
export async function checkReleaseSignature(dir: string, key: AptKey): Promise<void> {
  await withGnupgHome(async (gpg, home) => {
    const armored = join(home, 'key.asc')
    const keyring = join(home, 'key.gpg')
    await writeFile(armored, key.publicKey)
    await gpg(['--output', keyring, '--dearmor', armored])
    const r = await runAny('gpgv', ['--status-fd', '1', '--keyring', keyring, join(dir, 'InRelease')])
    const good = r.code === 0 && new RegExp(`^\\[GNUPG:\\] VALIDSIG ${key.fingerprint} `, 'm').test(r.stdout)
    if (!good) {
      const why = r.stderr.trim().split('\n').filter((l) => !/^gpgv: +(Signature made|using)/.test(l)).slice(-2).join(' | ')
      throw new BundleError(`the apt repository ${dir} is not signed by the bundle's key ${key.fingerprint}${why ? `: ${why}` : ''}`,
        undefined, 'rebuild the bundle with `kubeseed offline build`; do not serve a repository changed after the build')
    }
  })
}

