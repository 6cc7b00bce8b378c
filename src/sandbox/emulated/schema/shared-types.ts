// Types shared by several config kinds, transcribed from k8s.io/api/core/v1,
// k8s.io/component-base and cmd/kubeadm/app/apis/bootstraptoken/v1.
import { anyValue, bool, duration, enumOf, float32, int32, listOf, mapOf, str, struct, time, uint32, int64 } from './types.js'

export const taintEffect = enumOf('v1.TaintEffect', ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])

export const taint = struct('v1.Taint', {
  key: str,
  value: str,
  effect: taintEffect,
  timeAdded: time,
})

export const pullPolicy = enumOf('v1.PullPolicy', ['Always', 'IfNotPresent', 'Never'])

export const hostPathType = enumOf('v1.HostPathType', [
  '', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice',
])

export const envVar = struct('v1.EnvVar', {
  name: str,
  value: str,
  valueFrom: anyValue('*v1.EnvVarSource'),
})

export const bootstrapToken = struct('v1.BootstrapToken', {
  token: str,
  description: str,
  ttl: duration,
  expires: time,
  usages: listOf(str),
  groups: listOf(str),
})

export const loggingConfiguration = struct('v1.LoggingConfiguration', {
  format: str,
  flushFrequency: anyValue('v1.TimeOrMetaDuration'),
  verbosity: uint32,
  vmodule: listOf(struct('v1.VModuleItem', { filePattern: str, verbosity: uint32 })),
  options: struct('v1.FormatOptions', {
    text: struct('v1.TextOptions', { splitStream: bool, infoBufferSize: anyValue('resource.QuantityValue') }),
    json: struct('v1.JSONOptions', { splitStream: bool, infoBufferSize: anyValue('resource.QuantityValue') }),
  }),
})

export const tracingConfiguration = struct('v1.TracingConfiguration', {
  endpoint: str,
  samplingRatePerMillion: int32,
})

export const clientConnection = struct('v1alpha1.ClientConnectionConfiguration', {
  kubeconfig: str,
  acceptContentTypes: str,
  contentType: str,
  qps: float32,
  burst: int32,
})

export const resourceList = mapOf(anyValue('resource.Quantity'))
export { int64 }
