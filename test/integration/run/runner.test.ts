import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { playLocal, statuses } from '../../harness/play.js'

describe('runner (local connection, several hosts)', function () {
  this.timeout(60_000)

  it('registers results, evaluates when/changed_when/failed_when, loops with labels', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: echo
      command: echo {{ inventory_hostname }}
      register: out
      changed_when: false
    - name: only h2
      debug:
        msg: "{{ out.stdout }}"
      when: out.stdout == 'h2'
    - name: loop
      command: echo {{ item.n }}
      loop: [{n: 1}, {n: 2}]
      loop_control: {label: "n{{ item.n }}"}
      register: looped
    - name: judge
      command: "sh -c 'exit 3'"
      register: r3
      failed_when: r3.rc != 3
      changed_when: r3.rc == 3
    - assert:
        that:
          - looped.results | length == 2
          - looped.results[1].stdout == '2'
          - r3.rc == 3
`)
    expect(o.code).to.equal(0)
    expect(statuses(o, 'echo')).to.deep.equal({ h1: 'ok', h2: 'ok', h3: 'ok' })
    expect(statuses(o, 'only h2')).to.deep.equal({ h1: 'skipped', h2: 'ok', h3: 'skipped' })
    expect(statuses(o, 'loop')).to.deep.include({ 'h1:n1': 'changed', 'h1:n2': 'changed' })
    expect(statuses(o, 'judge')).to.deep.equal({ h1: 'changed', h2: 'changed', h3: 'changed' })
  })

  it('hostvars of another host shows its set_fact and registered values once those tasks ran, as Ansible does', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  vars:
    # a play variable that reads hostvars is rendered anew once they changed
    h1_choice: "{{ hostvars['h1'].picked }}"
  tasks:
    - name: before
      assert:
        that:
          - hostvars['h1'].picked == 'from-inventory'
          - h1_choice == 'from-inventory'
          - hostvars['h2'].said is not defined
    - name: pick on h1
      set_fact:
        picked: "{{ inventory_hostname }}-value"
      when: inventory_hostname == 'h1'
    - name: echo on h2
      command: echo from-h2
      register: said
      changed_when: false
      when: inventory_hostname == 'h2'
    - name: after
      assert:
        that:
          # set_fact wins over the inventory's host var, for every host that reads it
          - hostvars['h1'].picked == 'h1-value'
          - h1_choice == 'h1-value'
          - hostvars['h2'].said.stdout == 'from-h2'
          # a skipped task registers its skipped result
          - hostvars['h3'].said.skipped
          - hostvars['h3'].picked is not defined
          # extra vars still win over set_fact
          - hostvars['h2'].work == work
`, { inventory: '[g]\nh1 ansible_connection=local picked=from-inventory\nh2 ansible_connection=local\nh3 ansible_connection=local\n' })
    expect(o.recap.failures, JSON.stringify(o.recap.failures)).to.deep.equal({})
    expect(o.code).to.equal(0)
    expect(statuses(o, 'before')).to.deep.equal({ h1: 'ok', h2: 'ok', h3: 'ok' })
    expect(statuses(o, 'after')).to.deep.equal({ h1: 'ok', h2: 'ok', h3: 'ok' })
  })

  it('-e cluster_name gives dns_domain its value, as kubespray derives dns_domain from cluster_name', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: derived
      assert:
        that:
          - dns_domain == 'foo.example'
          - kube_apiserver_ip == '10.96.0.1'
`, { hosts: ['h1'], extraVars: { cluster_name: 'foo.example', kube_service_addresses: '10.96.0.0/16' } })
    expect(o.recap.failures, JSON.stringify(o.recap.failures)).to.deep.equal({})
    expect(statuses(o, 'derived')).to.deep.equal({ h1: 'ok' })
  })

  it('retries until a condition holds, with the register visible to until', async () => {
    const o = await playLocal(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: count
      shell: n=$(cat {{ work }}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{ work }}/n; echo $n
      register: c
      until: c.stdout | int >= 3
      retries: 5
      delay: 0
`, { hosts: ['h1'] })
    expect(o.code).to.equal(0)
    expect(readFileSync(join(o.dir, 'n'), 'utf8').trim()).to.equal('3')
  })

  it('retries a looped task item by item: an item whose until holds is not run again', async () => {
    // Each run of an item appends a line to the item's own file and prints how many runs it has had.
    const o = await playLocal(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: counted
      shell: echo x >> {{ work }}/{{ item.name }}; wc -l < {{ work }}/{{ item.name }}
      loop: [{name: quick, need: 1}, {name: slow, need: 3}, {name: never, need: 9}]
      register: c
      until: c.stdout | int >= item.need
      retries: 3
      delay: 0
`, { hosts: ['h1'] })
    const runs = (f: string) => readFileSync(join(o.dir, f), 'utf8').split('\n').filter(Boolean).length
    expect([runs('quick'), runs('slow'), runs('never')]).to.deep.equal([1, 3, 4])
    expect(o.code).to.equal(2)
    expect(o.recap.failures.h1).to.match(/still not true after 4 attempts: c\.stdout \| int >= item\.need/)
  })

  it('fails after the retries are spent', async () => {
    const o = await playLocal(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: /bin/true
      register: c
      until: c.rc == 1
      retries: 2
      delay: 0
`, { hosts: ['h1'] })
    expect(o.code).to.equal(2)
    expect(o.recap.failures.h1).to.match(/still not true after 3 attempts/)
  })

  it('a failing step retried until it is spent keeps its own error first', async () => {
    const o = await playLocal(`
- hosts: h1
  gather_facts: false
  tasks:
    - shell: 'echo "E: the mirror said no" >&2; exit 3'
      register: c
      until: c.rc == 0
      retries: 1
      delay: 0
`, { hosts: ['h1'] })
    expect(o.code).to.equal(2)
    expect(o.recap.failures.h1).to.match(/E: the mirror said no.*\(still not true after 2 attempts: c\.rc == 0\)/)
  })

  it('rescues a failed block and always runs always; a block without rescue leaves the host failed', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - block:
        - name: boom
          command: /bin/false
          when: inventory_hostname == 'h1'
        - name: after boom
          command: /bin/true
      rescue:
        - name: rescue
          command: /bin/true
      always:
        - name: always
          command: /bin/true
    - block:
        - name: boom2
          command: /bin/false
          when: inventory_hostname == 'h2'
      always:
        - name: always2
          command: /bin/true
    - name: last
      command: /bin/true
`)
    expect(statuses(o, 'after boom')).to.deep.equal({ h2: 'changed', h3: 'changed' })
    expect(statuses(o, 'rescue')).to.deep.equal({ h1: 'changed' })
    expect(statuses(o, 'always')).to.deep.equal({ h1: 'changed', h2: 'changed', h3: 'changed' })
    expect(statuses(o, 'always2')).to.deep.equal({ h1: 'changed', h2: 'changed', h3: 'changed' })
    expect(statuses(o, 'last')).to.deep.equal({ h1: 'changed', h3: 'changed' })
    expect(o.recap.hosts.h1.rescued).to.equal(1)
    expect(o.recap.hosts.h2.failed).to.equal(1)
    expect(o.code).to.equal(2)
  })

  it('a block without rescue or always goes with the tasks around it in one round trip; its when and a failure inside it hold', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: before
      command: echo before
    - block:
        - name: inside
          command: echo inside
        - name: nested
          block:
            - name: deeper
              command: "{{ '/bin/false' if inventory_hostname == 'h3' else 'echo deeper' }}"
      when: inventory_hostname != 'h2'
    - name: after
      command: echo after
`)
    expect(statuses(o, 'inside')).to.deep.equal({ h1: 'changed', h2: 'skipped', h3: 'changed' })
    expect(statuses(o, 'deeper')).to.deep.equal({ h1: 'changed', h2: 'skipped', h3: 'failed' })
    expect(statuses(o, 'after')).to.deep.equal({ h1: 'changed', h2: 'changed' })
    for (const h of ['h1', 'h2', 'h3']) expect(o.recap.hosts[h]!.roundTrips, h).to.equal(1)
    expect(o.code).to.equal(2)
  })

  it('runs handlers once per host, in definition order, only when notified, also via listen', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: a
      command: /bin/true
      notify: [second, first]
      when: inventory_hostname != 'h3'
    - name: b
      command: /bin/true
      notify: topic
      when: inventory_hostname == 'h1'
    - name: again
      command: /bin/true
      notify: second
  handlers:
    - name: first
      shell: echo first >> {{ work }}/{{ inventory_hostname }}.log
    - name: second
      shell: echo second >> {{ work }}/{{ inventory_hostname }}.log
    - name: third
      listen: topic
      shell: echo third >> {{ work }}/{{ inventory_hostname }}.log
`)
    expect(o.code).to.equal(0)
    expect(readFileSync(join(o.dir, 'h1.log'), 'utf8')).to.equal('first\nsecond\nthird\n')
    expect(readFileSync(join(o.dir, 'h2.log'), 'utf8')).to.equal('first\nsecond\n')
    expect(readFileSync(join(o.dir, 'h3.log'), 'utf8')).to.equal('second\n')
  })

  it('runs notified handlers at meta: flush_handlers, then goes on with the tasks', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: a
      command: /bin/true
      notify: h
    - meta: flush_handlers
    - name: b
      shell: cat {{ work }}/{{ inventory_hostname }}
      register: seen
    - assert:
        that: seen.stdout == 'handled'
  handlers:
    - name: h
      shell: echo handled > {{ work }}/{{ inventory_hostname }}
`)
    expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
    expect(o.events.filter((e) => e.type === 'handler').length).to.equal(1)
  })

  it('meta: end_play ends the play for every host, and the next play still runs', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - meta: end_play
    - name: never
      command: /bin/true
- hosts: g
  gather_facts: false
  tasks:
    - name: next play
      command: /bin/true
`)
    expect(o.code).to.equal(0)
    expect(statuses(o, 'never')).to.deep.equal({})
    expect(statuses(o, 'next play')).to.deep.equal({ h1: 'changed', h2: 'changed', h3: 'changed' })
  })

  it('meta: end_play under serial ends the later batches too; end_batch ends only the current one', async () => {
    const play = (action: string) => playLocal(`
- hosts: g
  gather_facts: false
  serial: 1
  tasks:
    - name: before
      command: /bin/true
    - meta: ${action}
      when: inventory_hostname == 'h2'
    - name: after
      command: /bin/true
`)
    const ended = await play('end_play')
    expect(ended.code).to.equal(0)
    expect(statuses(ended, 'before')).to.deep.equal({ h1: 'changed', h2: 'changed' })
    expect(statuses(ended, 'after')).to.deep.equal({ h1: 'changed' })
    const batch = await play('end_batch')
    expect(batch.code).to.equal(0)
    expect(statuses(batch, 'before')).to.deep.equal({ h1: 'changed', h2: 'changed', h3: 'changed' })
    expect(statuses(batch, 'after')).to.deep.equal({ h1: 'changed', h3: 'changed' })
  })

  it('meta: clear_host_errors lets failed hosts run the next tasks; the recap keeps the failure', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: fails on h1
      command: /bin/false
      when: inventory_hostname == 'h1'
    - name: skipped by the failed host
      command: /bin/true
    - meta: clear_host_errors
    - name: after clearing
      command: /bin/true
`)
    expect(statuses(o, 'skipped by the failed host')).to.deep.equal({ h2: 'changed', h3: 'changed' })
    expect(statuses(o, 'after clearing')).to.deep.equal({ h1: 'changed', h2: 'changed', h3: 'changed' })
    expect(o.recap.hosts.h1!.failed).to.equal(1)
    expect(o.code).to.equal(2)
  })

  it('serial batches the hosts; max_fail_percentage stops the play', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  serial: 1
  max_fail_percentage: 0
  tasks:
    - name: fail on h2
      command: /bin/false
      when: inventory_hostname == 'h2'
    - name: mark
      shell: date +%s%N >> {{ work }}/order; echo {{ inventory_hostname }} >> {{ work }}/order
`)
    expect(o.code).to.equal(2)
    const lines = readFileSync(join(o.dir, 'order'), 'utf8').trim().split('\n').filter((l) => /^h/.test(l))
    expect(lines).to.deep.equal(['h1'])
    expect(o.results.some((r) => r.host === 'h3')).to.equal(false)
  })

  it('any_errors_fatal stops every host after a failure', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: fail on h1
      command: /bin/false
      when: inventory_hostname == 'h1'
    - name: never
      command: /bin/true
`)
    expect(o.code).to.equal(2)
    expect(statuses(o, 'never')).to.deep.equal({})
  })

  it('run_once runs on the first host and shares the register; delegate_to runs elsewhere with the host vars', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: once
      shell: echo {{ inventory_hostname }} >> {{ work }}/once; echo from-{{ inventory_hostname }}
      run_once: true
      register: o1
    - name: delegated
      shell: echo "{{ inventory_hostname }} $(hostname)" >> {{ work }}/delegated
      delegate_to: h3
    - assert:
        that: o1.stdout == 'from-h1'
`)
    expect(o.code).to.equal(0)
    expect(readFileSync(join(o.dir, 'once'), 'utf8')).to.equal('h1\n')
    expect(readFileSync(join(o.dir, 'delegated'), 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')[0]).sort()).to.deep.equal(['h1', 'h2', 'h3'])
    expect(o.results.filter((r) => r.task === 'delegated' && r.host !== 'h3').map((r) => r.delegatedTo)).to.deep.equal(['h3', 'h3'])
  })

  it('selects tasks by tags (always, never, skip-tags)', async () => {
    const pb = `
- hosts: h1
  gather_facts: false
  tasks:
    - {name: t-a, command: /bin/true, tags: [a]}
    - {name: t-b, command: /bin/true, tags: [b]}
    - {name: t-always, command: /bin/true, tags: [always]}
    - {name: t-never, command: /bin/true, tags: [never, debugonly]}
    - {name: t-none, command: /bin/true}
`
    const names = (o: Awaited<ReturnType<typeof playLocal>>) => [...new Set(o.results.map((r) => r.task))]
    expect(names(await playLocal(pb, { hosts: ['h1'] }))).to.deep.equal(['t-a', 't-b', 't-always', 't-none'])
    expect(names(await playLocal(pb, { hosts: ['h1'], tags: ['a'] }))).to.deep.equal(['t-a', 't-always'])
    expect(names(await playLocal(pb, { hosts: ['h1'], skipTags: ['a'] }))).to.deep.equal(['t-b', 't-always', 't-none'])
    expect(names(await playLocal(pb, { hosts: ['h1'], tags: ['debugonly'] }))).to.deep.equal(['t-always', 't-never'])
  })

  it('hides output of no_log tasks, applies environment, honours check_mode per task and ignore_errors', async () => {
    const o = await playLocal(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: secret
      shell: echo token-s3cr3t; exit 1
      no_log: true
      ignore_errors: true
    - name: env
      shell: echo "$GREETING" > {{ work }}/env
      environment:
        GREETING: hi there
    - name: pretend
      copy: {dest: "{{ work }}/pretend", content: x}
      check_mode: true
`, { hosts: ['h1'] })
    expect(o.code).to.equal(0)
    expect(JSON.stringify(o.events)).to.not.include('s3cr3t')
    const secret = o.results.find((r) => r.task === 'secret')!
    expect(secret.status).to.equal('failed')
    expect(secret.ignored).to.equal(true)
    expect(readFileSync(join(o.dir, 'env'), 'utf8')).to.equal('hi there\n')
    expect(statuses(o, 'pretend')).to.deep.equal({ h1: 'changed' })
    expect(existsSync(join(o.dir, 'pretend'))).to.equal(false)
  })

  it('in --check mode changes nothing, except tasks with check_mode: false', async () => {
    const o = await playLocal(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: would write
      copy: {dest: "{{ work }}/would", content: x}
    - name: forced
      copy: {dest: "{{ work }}/forced", content: x}
      check_mode: false
`, { hosts: ['h1'], check: true })
    expect(o.code).to.equal(0)
    expect(statuses(o, 'would write')).to.deep.equal({ h1: 'changed' })
    expect(existsSync(join(o.dir, 'would'))).to.equal(false)
    expect(readFileSync(join(o.dir, 'forced'), 'utf8')).to.equal('x')
  })

  it('the recap names the hosts something ran on: their own tasks or tasks delegated to them, not controller-side ones', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - set_fact:
        x: 1
    - name: on h1 for h2
      command: /bin/true
      delegate_to: h1
      when: inventory_hostname == 'h2'
`)
    expect(o.code).to.equal(0)
    expect(o.recap.touched).to.deep.equal(['h1'])
  })

  it('hostvars carries what other hosts registered and set with set_fact, in the same play and the next (as in Ansible)', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - set_fact:
        mine: "{{ inventory_hostname }}-fact"
    - command: echo {{ inventory_hostname }}
      register: said
      changed_when: false
    - assert:
        that:
          - hostvars['h2'].mine == 'h2-fact'
          - hostvars['h3'].said.stdout == 'h3'
- hosts: h1
  gather_facts: false
  tasks:
    - assert:
        that:
          - groups['g'] | map('extract', hostvars, 'mine') | list == ['h1-fact', 'h2-fact', 'h3-fact']
`)
    expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
  })

  it('free strategy lets each host run ahead; --limit narrows the hosts', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  strategy: free
  tasks:
    - command: /bin/true
`, { limit: 'h1:h3' })
    expect(Object.keys(o.recap.hosts).sort()).to.deep.equal(['h1', 'h3'])
  })

  it('with --limit, templates read facts of hosts outside the limit from the facts cache', async () => {
    const saved = process.env.XDG_CACHE_HOME
    process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'ks-facts-cache-'))
    try {
      const pb = `
- hosts: g
  tasks:
    - copy:
        dest: "{{ work }}/{{ inventory_hostname }}-peer"
        content: "{{ hostvars['h2'].ansible_kernel }}"
`
      const all = await playLocal(pb, { hosts: ['h1', 'h2'] })
      expect(all.code).to.equal(0)
      const peer = readFileSync(join(all.dir, 'h1-peer'), 'utf8')
      rmSync(join(all.dir, 'h1-peer'))
      const limited = await playLocal(pb, { hosts: ['h1', 'h2'], limit: 'h1', dir: all.dir })
      expect(limited.code, JSON.stringify(limited.recap.failures)).to.equal(0)
      expect(Object.keys(limited.recap.hosts)).to.deep.equal(['h1'])
      expect(readFileSync(join(limited.dir, 'h1-peer'), 'utf8')).to.equal(peer)
      // Cached facts are the controller user's only, and belong to that inventory: another cluster's
      // inventory with a host of the same name does not read them.
      const cacheDir = join(process.env.XDG_CACHE_HOME!, 'kubeseed', 'facts')
      const files = readdirSync(cacheDir)
      expect(files).to.have.length(2)
      for (const f of files) expect(statSync(join(cacheDir, f)).mode & 0o777).to.equal(0o600)
      expect(statSync(cacheDir).mode & 0o777).to.equal(0o700)
      const other = await playLocal(pb, { hosts: ['h1', 'h2'], limit: 'h1' })
      expect(other.code).to.equal(4)
      expect(other.recap.failures.h1).to.match(/ansible_kernel/)
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME
      else process.env.XDG_CACHE_HOME = saved
    }
  })

  it('a template error names the variable, template and host, fails only that host, and makes the run exit 4 (bad input)', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - copy: {dest: "{{ work }}/{{ inventory_hostname }}", content: "{{ only_on_h1 }}"}
`, { inventory: '[g]\nh1 ansible_connection=local only_on_h1=yes\nh2 ansible_connection=local\n' })
    expect(o.code).to.equal(4)
    expect(o.recap.failures.h2).to.match(/only_on_h1/).and.match(/h2/)
    expect(o.recap.hosts.h1.failed).to.equal(0)
  })

  it('a task that fails while being prepared fails on its own: the task before it in the batch runs, ignore_errors covers it', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: before
      copy: {dest: "{{ work }}/{{ inventory_hostname }}.before", content: "ran"}
    - name: bad template
      copy: {dest: "{{ work }}/x", content: "{{ not_defined_anywhere }}"}
      ignore_errors: true
    - name: bad parameter
      file: {path: "{{ work }}/{{ inventory_hostname }}.before", state: "{{ 'sideways' }}"}
      ignore_errors: true
    - name: after
      copy: {dest: "{{ work }}/{{ inventory_hostname }}.after", content: "ran"}
    - name: bad loop
      debug: {msg: "{{ item }}"}
      loop: "{{ no_such_list }}"
    - name: never
      copy: {dest: "{{ work }}/{{ inventory_hostname }}.never", content: "ran"}
`, { hosts: ['h1', 'h2'] })
    expect(statuses(o, 'before')).to.deep.equal({ h1: 'changed', h2: 'changed' })
    expect(readFileSync(join(o.dir, 'h1.before'), 'utf8')).to.equal('ran')
    expect(statuses(o, 'bad template')).to.deep.equal({ h1: 'failed', h2: 'failed' })
    expect(o.results.find((r) => r.task === 'bad template')?.ignored).to.equal(true)
    expect(statuses(o, 'bad parameter')).to.deep.equal({ h1: 'failed', h2: 'failed' })
    expect(statuses(o, 'after')).to.deep.equal({ h1: 'changed', h2: 'changed' })
    expect(statuses(o, 'bad loop')).to.deep.equal({ h1: 'failed', h2: 'failed' })
    expect(existsSync(join(o.dir, 'h1.never'))).to.equal(false)
    expect(o.code, 'an unignored template error is bad input').to.equal(4)
    expect(o.recap.hosts.h1).to.include({ ok: 4, changed: 2, failed: 1, ignored: 2 })
    expect(o.recap.failures.h1).to.match(/bad loop/).and.match(/no_such_list/)
  })

  it('the recap counts a looped task once per host; the events keep one result per item', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: five
      copy: {dest: "{{ work }}/{{ inventory_hostname }}-{{ item }}", content: "{{ item }}"}
      loop: [1, 2, 3, 4, 5]
    - name: some skipped
      debug: {msg: "{{ item }}"}
      loop: [1, 2]
      when: item == 2
    - name: all skipped
      debug: {msg: "{{ item }}"}
      loop: [1, 2]
      when: false
`, { hosts: ['h1'] })
    expect(o.code).to.equal(0)
    expect(Object.keys(statuses(o, 'five'))).to.have.length(5)
    expect(o.recap.hosts.h1).to.include({ ok: 2, changed: 1, skipped: 1 })
  })

  describe('facts carried by the first batch', () => {
    const trips = (o: Awaited<ReturnType<typeof playLocal>>) => Object.fromEntries(Object.entries(o.recap.hosts).map(([h, r]) => [h, r.roundTrips]))

    it('a first batch that reads no fact brings the facts in its own round trip; later tasks read them', async () => {
      const o = await playLocal(`
- hosts: g
  tasks:
    - name: write
      copy: {dest: "{{ work }}/{{ inventory_hostname }}", content: "{{ inventory_hostname }}"}
    - name: skipped
      command: /bin/false
      when: false
    - name: facts now
      debug: {msg: "{{ ansible_kernel }}"}
`, { hosts: ['h1', 'h2'] })
      expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
      expect(trips(o)).to.deep.equal({ h1: 1, h2: 1 })
      expect(statuses(o, 'Gathering Facts')).to.deep.equal({ h1: 'ok', h2: 'ok' })
      expect(statuses(o, 'skipped')).to.deep.equal({ h1: 'skipped', h2: 'skipped' })
      expect(o.results.find((r) => r.task === 'facts now')?.msg).to.equal(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim())
      expect(o.recap.hosts.h1).to.include({ ok: 3, changed: 1, skipped: 1 })
      // Told as Ansible tells them: facts first, then the tasks in order.
      const order = o.results.filter((r) => r.host === 'h1').map((r) => r.task)
      expect(order).to.deep.equal(['Gathering Facts', 'write', 'skipped', 'facts now'])
    })

    it('a first batch whose plan reads a fact, even one a default() would hide, waits for the facts', async () => {
      const o = await playLocal(`
- hosts: g
  vars:
    arch_or_none: "{{ ansible_architecture | default('none') }}"
  tasks:
    - name: write
      copy: {dest: "{{ work }}/{{ inventory_hostname }}", content: "{{ arch_or_none }}"}
`, { hosts: ['h1', 'h2'] })
      expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
      expect(trips(o)).to.deep.equal({ h1: 2, h2: 2 })
      expect(readFileSync(join(o.dir, 'h1'), 'utf8')).to.equal(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim())
    })

    it('a host reading another host\'s facts through hostvars gets them, gathered before its batch', async () => {
      const o = await playLocal(`
- hosts: g
  tasks:
    - name: peer
      copy: {dest: "{{ work }}/{{ inventory_hostname }}", content: "{{ hostvars['h1'].ansible_kernel if inventory_hostname == 'h2' else 'self' }}"}
`, { hosts: ['h1', 'h2'] })
      expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
      expect(readFileSync(join(o.dir, 'h2'), 'utf8')).to.equal(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim())
      expect(readFileSync(join(o.dir, 'h1'), 'utf8')).to.equal('self')
      expect(statuses(o, 'Gathering Facts')).to.deep.equal({ h1: 'ok', h2: 'ok' })
    })

    it('facts are gathered when no batch carries them (every task skipped, or a controller task first)', async () => {
      const o = await playLocal(`
- hosts: g
  tasks:
    - name: never
      command: /bin/false
      when: false
- hosts: g
  tasks:
    - name: kernel
      debug: {msg: "{{ ansible_kernel }}"}
`, { hosts: ['h1'] })
      expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
      expect(trips(o)).to.deep.equal({ h1: 1 })
      expect(o.results.find((r) => r.task === 'kernel')?.msg).to.equal(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim())
      expect(o.recap.hosts.h1).to.include({ ok: 2, skipped: 1 })
    })

    it('a batch with privilege escalation does not carry them', async () => {
      const o = await playLocal(`
- hosts: g
  become: true
  tasks:
    - name: write
      copy: {dest: "{{ work }}/{{ inventory_hostname }}", content: "x"}
`, { hosts: ['h1'] })
      expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
      expect(trips(o)).to.deep.equal({ h1: 2 })
    })
  })
})
