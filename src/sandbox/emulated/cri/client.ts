// A CRI (runtime.v1) client: real gRPC over HTTP/2 on the runtime's unix socket, as kubeadm
// and the kubelet talk to containerd.
import { connect as h2connect, constants } from 'node:http2'
import { connect as netConnect } from 'node:net'
import { boolean, decodeMessage, encodeBytes, encodeString, messages, strings, type ProtoFields } from './protobuf.js'

export const DEFAULT_CRI_SOCKET = 'unix:///var/run/containerd/containerd.sock'

export class CriError extends Error {}

function socketPath(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return endpoint.slice('unix://'.length)
  if (endpoint.startsWith('/')) return endpoint
  throw new CriError(`unsupported CRI endpoint ${JSON.stringify(endpoint)}: only unix:// sockets are supported on Linux`)
}

export function grpcCall(endpoint: string, path: string, message: Buffer, timeoutMs = 5000): Promise<ProtoFields> {
  const sock = socketPath(endpoint)
  return new Promise((resolve, reject) => {
    const session = h2connect('http://localhost', { createConnection: () => netConnect(sock) })
    const fail = (e: Error) => {
      session.destroy()
      reject(new CriError(`validate service connection: validate CRI v1 runtime API for endpoint "${endpoint}": rpc error: ${e.message}`))
    }
    session.on('error', (e) => fail(new Error(`code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix ${sock}: ${e.message}"`)))
    const timer = setTimeout(() => fail(new Error('code = DeadlineExceeded desc = context deadline exceeded')), timeoutMs)
    const frame = Buffer.alloc(5)
    frame.writeUInt32BE(message.length, 1)
    const req = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc',
      te: 'trailers',
    })
    const chunks: Buffer[] = []
    let status: string | undefined
    let statusMessage = ''
    req.on('response', (h) => {
      if (h['grpc-status'] !== undefined) {
        status = String(h['grpc-status'])
        statusMessage = decodeURIComponent(String(h['grpc-message'] ?? ''))
      }
    })
    req.on('trailers', (h) => {
      status = String(h['grpc-status'])
      statusMessage = decodeURIComponent(String(h['grpc-message'] ?? ''))
    })
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', (e) => {
      clearTimeout(timer)
      fail(e)
    })
    req.on('end', () => {
      clearTimeout(timer)
      session.close()
      if (status !== '0') {
        reject(new CriError(`validate service connection: validate CRI v1 runtime API for endpoint "${endpoint}": rpc error: code = ${grpcCodeName(status)} desc = ${statusMessage}`))
        return
      }
      const body = Buffer.concat(chunks)
      resolve(decodeMessage(body.length >= 5 ? body.subarray(5, 5 + body.readUInt32BE(1)) : Buffer.alloc(0)))
    })
    req.end(Buffer.concat([frame, message]))
  })
}

const CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented',
  'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated']

function grpcCodeName(status: string | undefined): string {
  return CODES[Number(status)] ?? `Unknown(${status})`
}

export interface RuntimeVersion {
  runtimeName: string
  runtimeVersion: string
  runtimeApiVersion: string
}

export async function runtimeVersion(endpoint: string): Promise<RuntimeVersion> {
  const f = await grpcCall(endpoint, '/runtime.v1.RuntimeService/Version', encodeString(1, 'v1'))
  return { runtimeName: strings(f, 2)[0] ?? '', runtimeVersion: strings(f, 3)[0] ?? '', runtimeApiVersion: strings(f, 4)[0] ?? '' }
}

export interface RuntimeCondition {
  type: string
  status: boolean
  reason: string
  message: string
}

export async function runtimeConditions(endpoint: string): Promise<RuntimeCondition[]> {
  const f = await grpcCall(endpoint, '/runtime.v1.RuntimeService/Status', Buffer.alloc(0))
  const status = messages(f, 1)[0]
  if (!status) return []
  return messages(status, 1).map((c) => ({
    type: strings(c, 1)[0] ?? '',
    status: boolean(c, 2),
    reason: strings(c, 3)[0] ?? '',
    message: strings(c, 4)[0] ?? '',
  }))
}

/** Every repo tag of every image the runtime has (containerd's k8s.io namespace). */
export async function listImageTags(endpoint: string): Promise<string[]> {
  const f = await grpcCall(endpoint, '/runtime.v1.ImageService/ListImages', Buffer.alloc(0))
  return messages(f, 1).flatMap((img) => strings(img, 2))
}

/** Pull through the runtime (containerd applies its registry mirrors, certs.d hosts). */
export async function pullImage(endpoint: string, image: string): Promise<void> {
  await grpcCall(endpoint, '/runtime.v1.ImageService/PullImage', encodeBytes(1, encodeString(1, image)), 120_000)
}
