// lookup('password', 'PATH length=N chars=...') as Ansible does it: the password stored in PATH on the
// controller, or a new random one written there (mode 0600, directory 0700) for the next run to read.
// The only lookup that writes: kubespray keeps its generated secrets (kubeadm_certificate_key) this way.

import { randomInt } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ExprError } from '../errors.js'
import { writeFileAtomic } from '../write-file-atomic.js'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
/** Python's string module constants, which `chars=` may name. */
const CHAR_SETS: Record<string, string> = {
  ascii_letters: LETTERS,
  ascii_lowercase: LETTERS.slice(0, 26),
  ascii_uppercase: LETTERS.slice(26),
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
}

export interface PasswordTerm {
  path: string
  length: number
  chars: string
}

export function parsePasswordTerm(term: string): PasswordTerm {
  const words = term.trim().split(/\s+/)
  const path = words.shift()
  if (!path) throw new ExprError("lookup('password') needs a file path")
  let length = 20
  let chars = `${LETTERS}0123456789.,:-_`
  for (const w of words) {
    const eq = w.indexOf('=')
    const key = w.slice(0, eq)
    const value = w.slice(eq + 1)
    if (key === 'length') {
      length = Number(value)
      if (!Number.isInteger(length) || length < 1) throw new ExprError(`lookup('password'): length must be a positive integer, not '${value}'`)
    } else if (key === 'chars') {
      // `,,` is a literal comma, as in Ansible
      chars = value.replace(/,,/g, '\0').split(',').map((c) => CHAR_SETS[c.replace(/\0/g, ',')] ?? c.replace(/\0/g, ',')).join('')
    } else if (key === 'encrypt' || key === 'ident' || key === 'seed') {
      throw new ExprError(`lookup('password'): ${key}= is not supported by kubeseed`, undefined, 'use length= and chars= only')
    } else {
      throw new ExprError(`lookup('password'): unknown parameter '${w}'`, undefined, 'use length= and chars=')
    }
  }
  return { path, length, chars }
}

export function passwordLookup(term: string): string {
  const p = parsePasswordTerm(term)
  const file = resolve(p.path)
  if (file === '/dev/null') return randomPassword(p)
  if (existsSync(file)) return readFileSync(file, 'utf8').replace(/\n+$/, '').split(' salt=')[0]!
  const password = randomPassword(p)
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  writeFileAtomic(file, `${password}\n`, 0o600)
  return password
}

function randomPassword(p: PasswordTerm): string {
  const chars = [...new Set(p.chars)]
  let out = ''
  for (let i = 0; i < p.length; i++) out += chars[randomInt(chars.length)]
  return out
}
