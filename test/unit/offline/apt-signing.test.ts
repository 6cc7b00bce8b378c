import { expect } from 'chai'
import { fingerprintFromColons, isAptKey } from '../../../src/offline/apt-signing.js'

const FPR = '121C32DE930BDD23BFE8E28D2253D7FBA75D4002'
const ARMORED = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ0g\n-----END PGP PUBLIC KEY BLOCK-----\n'

describe('apt repository signing key', () => {
  it('reads the primary key\'s fingerprint from gpg --with-colons, not a subkey\'s', () => {
    const colons = [
      'tru::1:1764297703:0:3:1:5',
      'pub:u:255:22:2253D7FBA75D4002:1764297703:::u:::scSC:::::ed25519:::0:',
      `fpr:::::::::${FPR}:`,
      'uid:u::::1764297703::7F9C0A::kubeseed offline bundle::::::::::0:',
      'sub:u:255:18:1111111111111111:1764297703::::::e:::::cv25519::',
      `fpr:::::::::${'1'.repeat(40)}:`,
    ].join('\n')
    expect(fingerprintFromColons(colons)).to.equal(FPR)
    const subFirst = ['sub:u:255:18:1111111111111111:1764297703::::::e', `fpr:::::::::${'1'.repeat(40)}:`].join('\n')
    expect(fingerprintFromColons(subFirst)).to.equal(undefined)
    expect(fingerprintFromColons('')).to.equal(undefined)
  })

  it('accepts only a full fingerprint with an armored public key (what bundle.json and the inventory carry)', () => {
    expect(isAptKey({ fingerprint: FPR, publicKey: ARMORED })).to.equal(true)
    expect(isAptKey({ fingerprint: FPR.slice(-16), publicKey: ARMORED })).to.equal(false)
    expect(isAptKey({ fingerprint: FPR.toLowerCase(), publicKey: ARMORED })).to.equal(false)
    expect(isAptKey({ fingerprint: FPR, publicKey: ARMORED.replace('PUBLIC', 'PRIVATE') })).to.equal(false)
    expect(isAptKey({ fingerprint: FPR })).to.equal(false)
    expect(isAptKey(undefined)).to.equal(false)
  })
})
