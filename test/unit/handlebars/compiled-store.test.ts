// Compiled templates kept between runs (src/engine/handlebars/compiled-store.ts), in fresh Node processes as
// the CLI uses them: a later run renders from the kept code without loading handlebars' compiler, a damaged
// entry is compiled again and replaced, errors from kept code name the template line as a fresh compile does,
// and a store that cannot be written leaves rendering as it was.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'

const src = (f: string) => JSON.stringify(join(PACKAGE_ROOT, 'src', 'engine', ...f.split('/')))

interface Rendered { out?: string; error?: string; compilerLoaded: boolean }

/** Renders `template` in a new process with its compiled code kept in `dir`. */
function renderIn(dir: string, template: string): Rendered {
  const script = `
    import { createRequire } from 'node:module'
    import { fileCompiledTemplateStore, keepCompiledTemplates } from ${src('handlebars/compiled-store.ts')}
    import { renderTemplate } from ${src('handlebars/render.ts')}
    import { VarScope } from ${src('vars/scope.ts')}
    keepCompiledTemplates(fileCompiledTemplateStore(${JSON.stringify(dir)}))
    const scope = new VarScope([{ source: 'group_vars/all.yml', vars: { port: 6443 } }], { host: 'n1' })
    const result = {}
    try { result.out = renderTemplate(${JSON.stringify(template)}, { name: 'templates/t.hbs', scope, host: 'n1' }) }
    catch (e) { result.error = e.message }
    result.compilerLoaded = Object.keys(createRequire(import.meta.url).cache).some((m) => m.includes('/handlebars/compiler/'))
    console.log(JSON.stringify(result))`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: PACKAGE_ROOT })
  expect(r.status, r.stderr).to.equal(0)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Rendered
}

describe('compiled templates kept between runs', function () {
  this.timeout(60_000)
  const work = mkdtempSync(join(tmpdir(), 'ks-templates-'))

  it('a later run renders from the kept code, without the compiler', () => {
    const dir = join(work, 'a')
    expect(renderIn(dir, 'port {{port}}\n')).to.deep.equal({ out: 'port 6443\n', compilerLoaded: true })
    const files = readdirSync(dir)
    expect(files).to.have.length(1)
    expect(files[0]).to.match(/^[0-9a-f]{64}$/)
    expect(statSync(dir).mode & 0o777).to.equal(0o700)
    // Marked, so the output tells the kept code from a fresh compile.
    const entry = join(dir, files[0]!)
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('"port "', '"kept port "'))
    expect(renderIn(dir, 'port {{port}}\n')).to.deep.equal({ out: 'kept port 6443\n', compilerLoaded: false })
  })

  it('compiles a damaged entry again and replaces it', () => {
    const dir = join(work, 'b')
    renderIn(dir, 'port {{port}}\n')
    const entry = join(dir, readdirSync(dir)[0]!)
    writeFileSync(entry, '{"main":function(')
    expect(renderIn(dir, 'port {{port}}\n')).to.deep.equal({ out: 'port 6443\n', compilerLoaded: true })
    expect(renderIn(dir, 'port {{port}}\n')).to.deep.equal({ out: 'port 6443\n', compilerLoaded: false })
  })

  it('an undefined variable in kept code is named with the template line', () => {
    const dir = join(work, 'c')
    const fresh = renderIn(dir, 'a\nb {{missing}}\n')
    const kept = renderIn(dir, 'a\nb {{missing}}\n')
    expect(fresh.error).to.equal("templates/t.hbs:2, host n1: variable 'missing' is not defined (define it in the inventory, or guard it: {{#if (defined missing)}})")
    expect(kept).to.deep.equal({ ...fresh, compilerLoaded: false })
  })

  it('a store that cannot be written costs only the compile', () => {
    const blocked = join(work, 'file-not-dir')
    writeFileSync(blocked, '')
    expect(renderIn(join(blocked, 'templates'), 'port {{port}}\n')).to.deep.equal({ out: 'port 6443\n', compilerLoaded: true })
  })
})
