// A dict built from data keeps every key as its own entry. Plain assignment of "__proto__" would set the
// object's prototype instead, and that key can come from YAML, a Jinja dict or a Python literal.
export function setEntry(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}
