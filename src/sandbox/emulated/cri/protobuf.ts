// The few protobuf encodings the CRI calls need: strings out, nested messages in.

export type ProtoFields = Map<number, Array<number | Buffer>>

function varint(n: number): Buffer {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Buffer.from(out)
}

export function encodeBytes(field: number, b: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(b.length), b])
}

export function encodeString(field: number, value: string): Buffer {
  return encodeBytes(field, Buffer.from(value, 'utf8'))
}

export function decodeMessage(buf: Buffer): ProtoFields {
  const fields: ProtoFields = new Map()
  let i = 0
  const readVarint = (): number => {
    let result = 0
    let mul = 1
    for (;;) {
      const byte = buf[i++]
      if (byte === undefined) throw new Error('truncated protobuf')
      result += (byte & 0x7f) * mul
      if (!(byte & 0x80)) return result
      mul *= 128
    }
  }
  while (i < buf.length) {
    const key = readVarint()
    const field = Math.floor(key / 8)
    const wire = key & 7
    let value: number | Buffer
    if (wire === 0) value = readVarint()
    else if (wire === 2) {
      const len = readVarint()
      value = buf.subarray(i, i + len)
      i += len
    } else if (wire === 1) {
      value = buf.subarray(i, i + 8)
      i += 8
    } else if (wire === 5) {
      value = buf.subarray(i, i + 4)
      i += 4
    } else throw new Error(`unsupported protobuf wire type ${wire}`)
    const list = fields.get(field) ?? []
    list.push(value)
    fields.set(field, list)
  }
  return fields
}

export function strings(f: ProtoFields, n: number): string[] {
  return (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map((b) => b.toString('utf8'))
}

export function messages(f: ProtoFields, n: number): ProtoFields[] {
  return (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v)).map(decodeMessage)
}

export function boolean(f: ProtoFields, n: number): boolean {
  const v = f.get(n)?.[0]
  return typeof v === 'number' && v !== 0
}
