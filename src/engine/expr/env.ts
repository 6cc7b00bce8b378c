// What an expression reads from the outside world: its variables and the controller's environment.

export interface Env {
  /** The value of a variable, or an `Undefined` when there is none. */
  lookup(name: string): unknown
  /** Environment variables for `lookup('env', NAME)`. */
  getenv?(name: string): string | undefined
}
