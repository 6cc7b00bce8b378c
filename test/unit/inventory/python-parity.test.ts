// Our ports of Python's ast.literal_eval and shlex.split and of Ansible's host range expansion,
// checked against the real ones in one Python process.
import { expect } from 'chai'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { expandHostRange, HostPatternError, splitPort } from '../../../src/engine/inventory/host-range.js'
import { literalEval } from '../../../src/engine/inventory/python-literal.js'
import { pyJson } from '../../../src/engine/expr/json-text.js'
import { canonicalTyped, parseTypedJson } from '../../harness/typed-json.js'
import { shlexSplit as split, ShlexError } from '../../../src/engine/shlex.js'
const shlexSplit = (line: string) => split(line, { comments: true })

const LITERALS = [
  '1', '-1', '+3', '0', '00', '010', '1_000', '0x1F', '0o17', '0b101', '1.5', '1.', '.5', '1e3', '1E-2', '1_0.5',
  'True', 'False', 'None', 'true', 'yes', "'a'", '"a"', "'a' 'b'", "'it''s'", '"tab\\tx"', "r'\\n'", "b'bytes'", "u'u'",
  '[1, 2]', '[1, [2, [3]]]', '[]', '(1, 2)', '(1,)', '()', '(1)', '1, 2', '{"a": 1}', "{'a': [1, {'b': None}]}", '{}',
  '{1: 2}', 'foo', 'foo bar', '1 2', '1 # c', 'x # c', '[1, 2', "'unclosed", '', ' 1', '1j', '--1', '-True', '1.2.3',
  '12abc', 'a=b', '{a:1}', '[1,]', '[,]', '"\\x41\\u00e9"', '"\\101"', "'\\q'", '-0.5', '- 1', '0xZZ', '1__0', '_1',
]

const SHLEX = [
  'h1 a=1 b=2', 'h1 a="x y" b=\'p q\'', 'h1 a=x#y', 'h1 # c', 'h1 a="x#y"', 'h1 a=\\"q', 'h1 a="es\\"c" b="b\\\\s" c="k\\n"',
  'h1 a=x"y z"w', "h1 a=''", 'h1 a=""', '  h1\t a=1  ', "h1 a='in \\ raw'", 'h1 x=\'unclosed',
]

const RANGES = [
  'node[1:3]', 'node[01:10:3]', 'gpu-[a:c]', 'w-[1:9:2]', 'n[a:e:2]', 'r[1:2]-c[a:b]', 'x[:2]', 'x[Y:b]', 'db[001:003].lan',
  'x[1:3:0]', 'x[01:3]', 'x[c:a]', 'x[1]', 'x[1:]', 'x[a:3]', 'x[z:B]',
]

const SCRIPT = `
import ast, json, shlex, sys
from ansible.plugins.inventory import expand_hostname_range
from ansible.parsing.utils.addresses import parse_address
cases = json.loads(sys.stdin.read())
def lit(s):
    try:
        v = ast.literal_eval(s)
    except (ValueError, SyntaxError):
        return {'fail': True}
    except Exception as e:
        return {'fail': True}
    if isinstance(v, bytes): v = v.decode()
    if isinstance(v, complex): return {'fail': True}
    return {'value': v}
def sh(s):
    try: return shlex.split(s, comments=True)
    except ValueError: return None
def rng(s):
    try: return expand_hostname_range(s)
    except Exception: return None
def port(s):
    try: return list(parse_address(s, allow_ranges=True))
    except Exception: return [s, None]
print(json.dumps({'lit': [lit(s) for s in cases['lit']], 'sh': [sh(s) for s in cases['sh']], 'rng': [rng(s) for s in cases['rng']], 'port': [port(s) for s in cases['port']]}))
`

const PORTS = ['h1:22', 'h1', '10.0.0.1:2222', '[fe80::1]:22', 'fe80::1', 'web[1:3]:22', 'a b:22', 'host_1.example.com:8022']

describe('inventory: parity with Python and Ansible helpers', function () {
  this.timeout(30_000)
  let typedLit: Array<string | undefined>
  let want: { lit: ({ value: unknown } | { fail: true })[]; sh: (string[] | null)[]; rng: (string[] | null)[]; port: [string, number | null][] }

  before(() => {
    const which = spawnSync('sh', ['-c', 'command -v ansible-inventory'], { encoding: 'utf8' }).stdout.trim()
    if (!which) throw new Error('ansible-inventory is not on PATH: install ansible-core (apt-get install ansible-core) to run these tests')
    const python = /^#!\s*(\S+)/.exec(readFileSync(which, 'utf8'))?.[1] ?? 'python3'
    const out = execFileSync(python, ['-c', SCRIPT], { input: JSON.stringify({ lit: LITERALS, sh: SHLEX, rng: RANGES, port: PORTS }), encoding: 'utf8' })
    want = JSON.parse(out)
    // literal values again with Python's types kept: 1.0 is a float, not the int 1
    const typed = parseTypedJson(out)
    if (typed.t !== 'dict' || typed.v.lit?.t !== 'list') throw new Error('unexpected helper output')
    typedLit = typed.v.lit.v.map((x) => (x.t === 'dict' && x.v.value ? canonicalTyped(x.v.value) : undefined))
  })

  it('literal_eval: same value or same refusal', () => {
    LITERALS.forEach((src, i) => {
      const w = want.lit[i]!
      const got = literalEval(src)
      if ('fail' in w) expect(got.ok, `literal ${JSON.stringify(src)}`).to.equal(false)
      else {
        expect(got.ok, `literal ${JSON.stringify(src)}`).to.equal(true)
        expect(canonicalTyped(parseTypedJson(pyJson(got.ok ? got.value : undefined))), `literal ${JSON.stringify(src)}`).to.equal(typedLit[i])
      }
    })
  })

  it('shlex.split(comments=True): same words or same refusal', () => {
    SHLEX.forEach((src, i) => {
      const w = want.sh[i]
      if (w === null) expect(() => shlexSplit(src), src).to.throw(ShlexError)
      else expect(shlexSplit(src), src).to.deep.equal(w)
    })
  })

  it('host ranges: same expansion or same refusal', () => {
    RANGES.forEach((src, i) => {
      const w = want.rng[i]
      if (w === null) expect(() => expandHostRange(src), src).to.throw(HostPatternError)
      else expect(expandHostRange(src), src).to.deep.equal(w)
    })
  })

  it('host:port: same split', () => {
    PORTS.forEach((src, i) => {
      const [host, port] = want.port[i]!
      expect(splitPort(src), src).to.deep.equal(port === null ? { pattern: host } : { pattern: host, port })
    })
  })
})
