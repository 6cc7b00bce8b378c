import { expect } from 'chai'
import { TemplateError } from '../../../src/engine/errors.js'
import { renderTemplate } from '../../../src/engine/handlebars/render.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

const scope = new VarScope([{ source: 'group_vars/all.yml', vars: { port: 6443, dir: '/etc/k', ssl: '{{ dir }}/ssl', bad: '{{ nope }}' }, lines: { bad: 9 } }], { host: 'n1' })
const render = (src: string, extra?: Record<string, unknown>) => renderTemplate(src, { name: 'templates/t.hbs', scope, host: 'n1', extra })

describe('renderTemplate', () => {
  it('renders scope variables lazily and extra values on top', () => {
    expect(render('{{ssl}}:{{port}} {{item}}', { item: 'x' })).to.equal('/etc/k/ssl:6443 x')
  })

  it('fails on an undefined variable naming it, the template, line and host', () => {
    expect(() => render('a\nb {{missing}}')).to.throw(TemplateError, "templates/t.hbs:2, host n1: variable 'missing' is not defined")
  })

  it('passes through the error of a variable that fails to render', () => {
    expect(() => render('{{bad}}')).to.throw(TemplateError, /group_vars\/all\.yml:9, host n1: variable 'bad'.*needed by template templates\/t\.hbs/)
  })
})
