// Ansible's StrictUndefined: a missing name is a value that may only be tested
// (`is defined`, `default()`); any other use is an error naming what was missing.
import { ExprError } from '../errors.js'

export class Undefined {
  /** `name` is how the user wrote it (`foo`, `foo.bar`); `cause` replaces the default message. */
  constructor(
    readonly name: string,
    readonly cause?: Error,
  ) {}

  error(): Error {
    return this.cause ?? markUndefined(new ExprError(`'${this.name}' is undefined`, undefined, 'define it in the inventory or guard it with "is defined" / default()'))
  }
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined
}

/** The value itself, or the error that using an undefined value means. */
export function need<T>(v: T | Undefined): T {
  if (v instanceof Undefined) throw v.error()
  return v
}

// Errors whose root cause is an undefined variable: a variable that fails this way is
// itself undefined to `is defined` and default(), as in Ansible.
const undefinedCaused = new WeakSet<Error>()

export function markUndefined<E extends Error>(e: E): E {
  undefinedCaused.add(e)
  return e
}

export function isUndefinedError(e: unknown): boolean {
  return e instanceof Error && undefinedCaused.has(e)
}
