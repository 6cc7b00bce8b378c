import { expect } from 'chai'
import { TemplateError } from '../../../src/engine/errors.js'
import { renderTemplate } from '../../../src/engine/handlebars/render.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

const scope = new VarScope(
  [
    {
      source: 'group_vars/all.yml',
      vars: {
        name: 'Kube Seed',
        port: 6443,
        on: true,
        off: false,
        list: ['a', 'b'],
        cfg: { apiVersion: 'v1', items: [1, 2] },
        svc: '10.233.0.0/18',
        svc6: 'fd85:ee78:d8a6:8607::1000/116',
        arg: "it's",
        nested: { inner: { x: 1 } },
      },
    },
  ],
  { host: 'n1' },
)
const r = (src: string, extra?: Record<string, unknown>) => renderTemplate(src, { name: 'templates/h.hbs', scope, host: 'n1', extra })

const CASES: Array<[string, string]> = [
  ['{{toYaml cfg}}', 'apiVersion: v1\nitems:\n  - 1\n  - 2'],
  ['{{toJson cfg}}', '{"apiVersion":"v1","items":[1,2]}'],
  ['{{toJson list 2}}', '[\n  "a",\n  "b"\n]'],
  ['x:\n  {{indent (toYaml cfg) 2}}', 'x:\n  apiVersion: v1\n  items:\n    - 1\n    - 2'],
  ['{{indent "a\nb" 4 true}}', '    a\n    b'],
  ['{{indent "a\n\nb" 2}}', 'a\n\n  b'],
  ['{{join list}}', 'a,b'],
  ['{{join list " "}}', 'a b'],
  ['{{#if (eq port 6443)}}y{{/if}}', 'y'],
  ['{{#if (ne port 1)}}y{{/if}}', 'y'],
  ['{{#if (lt 1 port)}}y{{/if}}{{#if (gt 1 port)}}n{{/if}}', 'y'],
  ['{{#if (and on (not off))}}y{{/if}}', 'y'],
  ['{{#if (or off off)}}y{{else}}n{{/if}}', 'n'],
  ['{{default missing "d"}}', 'd'],
  ['{{default port "d"}}', '6443'],
  ['{{#if (defined missing)}}y{{else}}n{{/if}}', 'n'],
  ['{{cidrHost svc 1}}', '10.233.0.1'],
  ['{{cidrHost svc -1}}', '10.233.63.255'],
  ['{{cidrHost svc6 10}}', 'fd85:ee78:d8a6:8607::100a'],
  ['{{b64encode name}}', 'S3ViZSBTZWVk'],
  ['{{quote arg}}', "'it'\\''s'"],
  ['{{lower name}}-{{upper name}}', 'kube seed-KUBE SEED'],
  ['{{#if (includes list "b")}}y{{/if}}{{#if (includes name "Seed")}}s{{/if}}{{#if (includes cfg "items")}}k{{/if}}', 'ysk'],
  ['{{#each list}}{{@index}}={{this}} {{/each}}', '0=a 1=b '],
  ['{{#with nested.inner}}{{x}}{{/with}}', '1'],
  ['{{#unless off}}u{{/unless}}', 'u'],
  ['<{{name}}>&', '<Kube Seed>&'],
  ['{{item.k}}', 'v'],
]

const ERRORS: Array<[string, RegExp]> = [
  ['{{missing}}', /templates\/h\.hbs:1, host n1: variable 'missing' is not defined/],
  ['line\n{{nested.nope}}', /templates\/h\.hbs:2, host n1: variable 'nope' is not defined/],
  ['{{#each list}}{{nope}}{{/each}}', /variable 'nope' is not defined/],
  ['{{#if missing}}x{{/if}}', /variable 'missing' of helper 'if' is not defined/],
  ['{{#each missing}}x{{/each}}', /variable 'missing' of helper 'each' is not defined/],
  ['{{toYaml missing}}', /variable 'missing' of helper 'toYaml' is not defined/],
  ['{{indent name}}', /helper 'indent' needs 2 argument/],
  ['{{cidrHost "10.0.0.0/30" 9}}', /has no address number 9/],
  ['{{cidrHost "nonsense" 1}}', /is not a CIDR/],
  ['{{join name}}', /helper 'join' needs a list/],
  ['{{nohelper port}}', /host n1: variable 'nohelper' is not defined/],
  ['{{#if on}}unclosed', /templates\/h\.hbs.*template syntax error/],
]

describe('handlebars helpers', () => {
  for (const [src, want] of CASES) {
    it(`${JSON.stringify(src)} => ${JSON.stringify(want)}`, () => expect(r(src, { item: { k: 'v' } })).to.equal(want))
  }
  for (const [src, pattern] of ERRORS) {
    it(`${JSON.stringify(src)} fails with ${pattern}`, () => expect(() => r(src)).to.throw(TemplateError, pattern))
  }

  it('renders only the variables a template uses', () => {
    const lazy = new VarScope([{ source: 'g.yml', vars: { used: 1, broken: '{{ nope }}' } }], { host: 'n1' })
    expect(renderTemplate('{{used}}', { name: 't', scope: lazy, host: 'n1' })).to.equal('1')
  })
})
