// A small ASN.1 DER writer and reader: enough for X.509 certificates and PKCS#10 requests.

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content])
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items))
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items))
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner)
export const octetString = (b: Buffer): Buffer => tlv(0x04, b)
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'))
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00])
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]))

/** A non-negative INTEGER from big-endian bytes. */
export function integerBytes(b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  const body = b.subarray(i)
  return tlv(0x02, body[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body)
}

export const integer = (n: number): Buffer => {
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return integerBytes(Buffer.from(bytes.length ? bytes : [0]))
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out: number[] = [parts[0]! * 40 + parts[1]!]
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f]
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80)
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

export function bitString(b: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), b]))
}

/** RFC 5280 time: UTCTime through 2049, GeneralizedTime after. */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`))
}

export interface Node {
  tag: number
  /** The whole encoding, header included. */
  raw: Buffer
  content: Buffer
}

/** Read one TLV at `offset`. */
export function read(buf: Buffer, offset = 0): Node & { end: number } {
  const tag = buf[offset]!
  let len = buf[offset + 1]!
  let head = 2
  if (len & 0x80) {
    const n = len & 0x7f
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i]!
    head = 2 + n
  }
  const end = offset + head + len
  if (end > buf.length) throw new Error('truncated DER')
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + head, end), end }
}

/** The children of a constructed node. */
export function children(node: Node): Node[] {
  const out: Node[] = []
  for (let off = 0; off < node.content.length;) {
    const n = read(node.content, off)
    out.push(n)
    off = n.end
  }
  return out
}

export function decodeOid(content: Buffer): string {
  const parts = [Math.floor(content[0]! / 40), content[0]! % 40]
  let v = 0
  for (const byte of content.subarray(1)) {
    v = v * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      parts.push(v)
      v = 0
    }
  }
  return parts.join('.')
}
