import { expect } from 'chai'
import { commandsFor } from '../../../src/commands/catalog.js'

// Compared by name: under the test loader a lazily imported module may be a second copy of the function.
const names = async (argv: string[]) => (await commandsFor(argv)).map((f) => f.name)
const ALL = ['playCommands', 'inventoryCommand', 'factsCommand', 'offlineCommands', 'sandboxCommands', 'demoCommand', 'configCommands']

describe('commands: catalog (which command module a command line loads)', () => {
  it('a command word loads its one module; play and the bundled playbooks share one', async () => {
    expect(await names(['play', 'site.yaml', '-i', 'hosts'])).to.deep.equal(['playCommands'])
    expect(await names(['-v', 'cluster', '-i', 'hosts'])).to.deep.equal(['playCommands'])
    expect(await names(['inventory', '--list'])).to.deep.equal(['inventoryCommand'])
    expect(await names(['sandbox', 'up', '--light'])).to.deep.equal(['sandboxCommands'])
  })

  it('a bare --version loads none; --help, no command or an unknown word load every module', async () => {
    expect(await names(['--version'])).to.deep.equal([])
    expect(await names(['--help'])).to.deep.equal(ALL)
    expect(await names([])).to.deep.equal(ALL)
    expect(await names(['bogus'])).to.deep.equal(ALL)
  })
})
