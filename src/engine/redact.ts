// Credentials inside URLs (scheme://user:password@host) never reach a message, an event or a log line:
// the password becomes "***". Applied to what a task reports and, as a last guard, to every reported event.

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@'"]*):([^/\s@'"]*)@/gi

/** The text with the password of every URL in it replaced by ***. */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:***@`)
}

/** Whether a URL carries a password. */
export function urlHasPassword(url: string): boolean {
  USERINFO.lastIndex = 0
  return USERINFO.test(url)
}

/** A deep copy of a value with every string passed through redactUrls (objects keep their shape). */
export function redactDeep<T>(v: T): T {
  if (typeof v === 'string') return redactUrls(v) as T
  if (Array.isArray(v)) return v.map((x) => redactDeep(x)) as T
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x)])) as T
  }
  return v
}
