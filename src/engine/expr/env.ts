// What an expression reads from the outside world: its variables and the controller's environment.

export interface Env {
  /** The value of a variable, or an `Undefined` when there is none. */
  lookup(name: string): unknown
  /** Environment variables for `lookup('env', NAME)`. */
  getenv?(name: string): string | undefined
  /**
   * A variable's value as written, before templating ({ value }), or undefined when it has none: a
   * template that is just `{{ name }}` keeps a number, bool or None only when the raw value is one.
   */
  raw?(name: string): { value: unknown } | undefined
  /** lookup('password', TERM): the password stored at the term's path (or a new one written there). */
  password?(term: string): string
  /** True when the variable's value is text Ansible never converts (it came from to_json, string, ...). */
  isNativeText?(name: string): boolean
}
