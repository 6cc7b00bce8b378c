import { expect } from 'chai'
import { builtinModuleLines } from '../../../src/sandbox/kernel-modules.js'

describe('sandbox kernel modules', () => {
  it('lists as built in only the modules the kernel config compiles in (=y), not loadable (=m) or absent ones', () => {
    const config = ['CONFIG_BRIDGE_NETFILTER=y', 'CONFIG_OVERLAY_FS=y', 'CONFIG_IP_VS=m', '# CONFIG_VXLAN is not set', 'CONFIG_NF_CONNTRACK=y'].join('\n')
    expect(builtinModuleLines(config)).to.deep.equal([
      'kernel/net/bridge/br_netfilter.ko', 'kernel/fs/overlayfs/overlay.ko', 'kernel/net/netfilter/nf_conntrack.ko',
    ])
  })
})
