// `serial`: split a play's hosts into batches (a number, a percentage, or a list whose last entry repeats).

export function serialBatches(hosts: string[], serial: Array<number | string>): string[][] {
  if (serial.length === 0 || hosts.length === 0) return hosts.length ? [hosts] : []
  const sizes = serial.map((s) => {
    if (typeof s === 'number') return s
    const t = s.trim()
    if (t.endsWith('%')) return Math.max(1, Math.floor((hosts.length * Number(t.slice(0, -1))) / 100))
    return Number(t)
  })
  const batches: string[][] = []
  let i = 0
  let k = 0
  while (i < hosts.length) {
    const size = Math.max(1, sizes[Math.min(k, sizes.length - 1)])
    batches.push(hosts.slice(i, i + size))
    i += size
    k++
  }
  return batches
}
