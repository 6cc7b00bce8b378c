// Module cases from Ansible's own integration tests (ansible-core stable-2.14,
// test/integration/targets/<module>/tasks/*.yml), written as a table: the starting files, one task, and
// whether it runs in check mode. The expected outcome is not written here: it is whatever real
// ansible-playbook does with the same case (see module-parity.test.ts).

import type { ModuleCase } from '../../harness/module-parity.js'

const TEST_TXT = 'This is line 1\nThis is line 2\nREF this is a line for backrefs REF\nThis is line 4\nThis is line 5\n'
const MULTIPLE = 'This is line 1\n\nThis is line 2\n\nThis is line 3\n\nThis is line 4\n'
const TEST_CONF = '[section_one]\n\n[section_two]\n\n[section_three]\n'
const FIRSTMATCH = 'line1\nline1\nline1\nline2\nline3\n'
const SH_58923 = '#!/bin/sh\n\ncase "`uname`" in\n  Darwin*) if [ -z "$JAVA_HOME" ] ; then\n'
const FISHEYE = 'export FISHEYE_OPTS="-Xmx4096m -Xms2048m"'
const LISTENER = [
  'LISTENER=(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=IPC)(KEY=LISTENER)))) # line added by Agent',
  'ENABLE_GLOBAL_DYNAMIC_ENDPOINT_LISTENER=ON                                   # line added by Agent',
  'SID_LIST_LISTENER_DG =', '    (SID_LIST =', '        (SID_DESC =', '            (GLOBAL_DBNAME = DB01_DG)',
  '            (SID_NAME = DB011)', '        )', '    )',
  'SID_LIST_LISTENER =', '    (SID_LIST =', '        (SID_DESC =', '            (GLOBAL_DBNAME = DB02)', '        )', '    )', '',
].join('\n')
const LISTENER_BLOCK = '    (SID_DESC =\n      (GLOBAL_DBNAME = DB03\n      (SID_NAME = DB031)\n    )\n'

const li = (file: string, args: Record<string, unknown>) => ({ lineinfile: { path: `@D@/${file}`, ...args } })
const bi = (file: string, args: Record<string, unknown>) => ({ blockinfile: { path: `@D@/${file}`, ...args } })
const fl = (args: Record<string, unknown>) => ({ file: args })

export const LINEINFILE: ModuleCase[] = [
  { id: 'lineinfile/create-yes', from: 'lineinfile main.yml: create a file that does not yet exist with `create: yes`', task: li('new.txt', { line: 'First line', create: true }) },
  { id: 'lineinfile/missing-without-create', from: 'lineinfile main.yml: test source file does not exist w/o `create: yes`', task: li('nope.txt', { line: "Doesn't matter" }) },
  { id: 'lineinfile/insertbefore-bof', from: 'lineinfile main.yml: insert a line at the beginning of the file', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'New line at the beginning', insertbefore: 'BOF' }) },
  { id: 'lineinfile/insertafter-eof', from: 'lineinfile main.yml: insert a line at the end of the file', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'New line at the end', insertafter: 'EOF' }) },
  { id: 'lineinfile/insertafter-regex', from: 'lineinfile main.yml: insert a line after the first line', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'New line after line 1', insertafter: '^This is line 1$' }) },
  { id: 'lineinfile/insertbefore-regex', from: 'lineinfile main.yml: insert a line before the last line', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'New line before line 5', insertbefore: '^This is line 5$' }) },
  { id: 'lineinfile/backref-inside-regexp', from: 'lineinfile main.yml: Replace a line with backrefs (regexp ^(REF) .* \\1$)', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'This is line 3', backrefs: true, regexp: '^(REF) .* \\1$' }) },
  { id: 'lineinfile/absent-regexp', from: 'lineinfile main.yml: remove the middle line', files: { 't.txt': TEST_TXT }, task: li('t.txt', { state: 'absent', regexp: '^This is line 3$' }) },
  { id: 'lineinfile/create-insertbefore-bof', from: 'lineinfile main.yml: use create=yes', task: li('created.txt', { create: true, insertbefore: 'BOF', line: 'This is a new file' }) },
  { id: 'lineinfile/noeof-insertafter-eof', from: 'lineinfile main.yml: testnoeof insert a line at the end of the file', files: { 'noeof.txt': 'This is line 1\nThis is line 2\nThis is line 3' }, task: li('noeof.txt', { line: 'New line at the end', insertafter: 'EOF' }) },
  { id: 'lineinfile/empty-insertafter-eof', from: 'lineinfile main.yml: testempty insert a line at the end of the file', files: { 'empty.txt': '' }, task: li('empty.txt', { line: 'New line at the end', insertafter: 'EOF' }) },
  { id: 'lineinfile/backrefs-in-line', from: 'lineinfile main.yml: replace a line with backrefs included in the line', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'New \\1 created with the backref', backrefs: true, regexp: '^This is (line 4)$' }) },
  { id: 'lineinfile/backrefs-no-match', from: 'lineinfile main.yml: backrefs with a regexp that matches nothing leaves the file', files: { 't.txt': TEST_TXT }, task: li('t.txt', { line: 'x \\1', backrefs: true, regexp: '^(nothing)$' }) },
  { id: 'lineinfile/single-quote', from: 'lineinfile main.yml: insert a line into the quoted file with a single quote', files: { 'q.txt': '' }, task: li('q.txt', { line: "import g'" }) },
  { id: 'lineinfile/double-quotes', from: 'lineinfile main.yml: insert a line with many double quotation strings', files: { 'q.txt': '' }, task: li('q.txt', { line: '"quote" and "unquote"' }) },
  { id: 'lineinfile/insertafter-loop', from: 'lineinfile main.yml: write the same line inserted after different lines', files: { 'm.txt': MULTIPLE }, task: li('m.txt', { insertafter: '{{ item }}', line: 'bar' }), extra: { loop: ['1', '2', '3', '4'] } },
  { id: 'lineinfile/insertbefore-loop', from: 'lineinfile main.yml: write the same line inserted before different lines', files: { 'm.txt': MULTIPLE }, task: li('m.txt', { insertbefore: '{{ item }}', line: 'bar' }), extra: { loop: ['1', '2', '3', '4'] } },
  {
    id: 'lineinfile/regexp-insertafter-loop', from: 'lineinfile main.yml: insert lines after with regexp', files: { 'test.conf': TEST_CONF },
    task: li('test.conf', { regexp: '{{ item.r }}', line: '{{ item.l }}', insertafter: 'section_one' }),
    extra: { loop: [{ r: 'option_one=', l: 'option_one=1' }, { r: 'option_two=', l: 'option_two=2' }, { r: 'option_three=', l: 'option_three=3' }] },
  },
  {
    id: 'lineinfile/regexp-insertbefore-loop', from: 'lineinfile main.yml: insert lines before with regexp', files: { 'test.conf': TEST_CONF },
    task: li('test.conf', { regexp: '{{ item.r }}', line: '{{ item.l }}', insertbefore: 'section_three' }),
    extra: { loop: [{ r: 'option_one=', l: 'option_one=1' }, { r: 'option_two=', l: 'option_two=2' }, { r: 'option_three=', l: 'option_three=3' }] },
  },
  { id: 'lineinfile/insertbefore-empty-file', from: 'lineinfile main.yml: add a line to empty file with insertbefore', files: { 'e.txt': '' }, task: li('e.txt', { line: 'top', insertbefore: '^not in the file$' }) },
  { id: 'lineinfile/empty-regexp', from: 'lineinfile main.yml: insert a line using an empty string as a regular expression', files: { 't.txt': TEST_TXT }, task: li('t.txt', { regexp: '', line: 'This is line 6' }) },
  { id: 'lineinfile/empty-search-string', from: 'lineinfile main.yml: insert a line using an empty string as a search string', files: { 't.txt': TEST_TXT }, task: li('t.txt', { search_string: '', line: 'This is line 6' }) },
  { id: 'lineinfile/firstmatch-insertafter', from: 'lineinfile main.yml: insert a line before an existing line using firstmatch', files: { 'f.txt': FIRSTMATCH }, task: li('f.txt', { line: 'INSERT', insertafter: 'line1', firstmatch: true }) },
  { id: 'lineinfile/firstmatch-regexp-insertafter', from: 'lineinfile main.yml: add the line using firstmatch, regexp, and insertafter (#58923)', files: { 's.sh': SH_58923 }, task: li('s.sh', { insertafter: '^#!/bin/sh', regexp: '^export FISHEYE_OPTS', firstmatch: true, line: FISHEYE }) },
  { id: 'lineinfile/firstmatch-insertafter-no-regexp', from: 'lineinfile main.yml: insert the line using firstmatch and insertafter without regexp', files: { 's.sh': SH_58923 }, task: li('s.sh', { insertafter: '^#!/bin/sh', firstmatch: true, line: FISHEYE }) },
  { id: 'lineinfile/firstmatch-regexp-insertbefore', from: 'lineinfile main.yml: add the line using regexp, firstmatch, and insertbefore', files: { 's.sh': SH_58923 }, task: li('s.sh', { insertbefore: '^#!/bin/sh', regexp: '^export FISHEYE_OPTS', firstmatch: true, line: FISHEYE }) },
  { id: 'lineinfile/insertbefore-escaped-regex', from: 'lineinfile main.yml: insertbefore and firstmatch when the line is not close to the spot', files: { 's.sh': `${SH_58923}${FISHEYE}\n` }, task: li('s.sh', { insertbefore: '   Darwin\\*\\) if \\[ -z \\"\\$JAVA_HOME\\" \\] ; then', firstmatch: true, line: FISHEYE }) },
  { id: 'lineinfile/search-string-insertafter', from: 'lineinfile main.yml: add the line using firstmatch, literal, and insertafter', files: { 's.sh': SH_58923 }, task: li('s.sh', { insertafter: '^#!/bin/sh', search_string: 'export FISHEYE_OPTS', firstmatch: true, line: FISHEYE }) },
  { id: 'lineinfile/regexp-insertafter-eof', from: 'lineinfile main.yml: insert a line at the end of the file (#63684)', files: { 'e.txt': 'testline\n' }, task: li('e.txt', { insertafter: 'testline', regexp: 'line at the end', line: 'line at the end' }) },
  { id: 'lineinfile/create-check-mode', from: 'lineinfile main.yml: create: yes in check mode changes nothing', task: li('new.txt', { line: 'First line', create: true }), check: true },
  { id: 'lineinfile/symbolic-mode', from: 'lineinfile (file common args): mode u=rw,g=r,o=r on create', task: li('sym.txt', { line: 'x', create: true, mode: 'u=rw,g=,o=' }) },
]

export const BLOCKINFILE: ModuleCase[] = [
  { id: 'blockinfile/create', from: 'blockinfile create_file.yml: create a file with blockinfile', task: bi('empty.txt', { block: 'Hey\nthere\n', create: true }) },
  { id: 'blockinfile/absent-leaves-empty', from: 'blockinfile create_file.yml: run a task that results in an empty file', files: { 'empty.txt': '# BEGIN ANSIBLE MANAGED BLOCK\nHey\nthere\n# END ANSIBLE MANAGED BLOCK\n' }, task: bi('empty.txt', { block: 'Hey\nthere\n', state: 'absent', create: true }) },
  { id: 'blockinfile/insertafter', from: 'blockinfile insertafter.yml: add block using insertafter', files: { 'after.txt': 'line1\nline2\nline3\n' }, task: bi('after.txt', { insertafter: 'line2', block: 'block1\nblock2\n' }) },
  { id: 'blockinfile/insertbefore', from: 'blockinfile insertbefore.yml: add block using insertbefore', files: { 'before.txt': 'line1\nline2\nline3\n' }, task: bi('before.txt', { insertbefore: 'line2', block: 'block1\nblock2\n' }) },
  { id: 'blockinfile/without-trailing-newline', from: 'blockinfile block_without_trailing_newline.yml', task: bi('chomped.txt', { create: true, content: 'one\ntwo\nthree' }) },
  { id: 'blockinfile/file-without-trailing-newline', from: 'blockinfile file_without_trailing_newline.yml', files: { 'n.txt': 'one\ntwo' }, task: bi('n.txt', { block: 'three\n' }) },
  { id: 'blockinfile/multiline-search', from: 'blockinfile multiline_search.yml: add block using multiline_search enabled', files: { 'listener.ora': LISTENER }, task: bi('listener.ora', { block: LISTENER_BLOCK, insertafter: '(?m)SID_LIST_LISTENER_DG =\\n.*\\(SID_LIST =', marker: '    <!-- {mark} ANSIBLE MANAGED BLOCK 1-->' }) },
  { id: 'blockinfile/no-multiline-flag', from: 'blockinfile multiline_search.yml: without multiline flag the block goes at the end', files: { 'listener.ora': LISTENER }, task: bi('listener.ora', { block: LISTENER_BLOCK, insertafter: 'SID_LIST_LISTENER_DG =\\n.*\\(SID_LIST =', marker: '    <!-- {mark} ANSIBLE MANAGED BLOCK 2-->' }) },
  { id: 'blockinfile/add-to-existing', from: 'blockinfile add_block_to_existing_file.yml', files: { 'sshd_config': 'Port 22\nPermitRootLogin no\n' }, task: bi('sshd_config', { block: 'Match User ansible-agent\nPasswordAuthentication no\n' }) },
  { id: 'blockinfile/update-existing', from: 'blockinfile add_block_to_existing_file.yml: the block changes between runs', files: { 'c': 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n' }, task: bi('c', { block: 'new\n' }) },
  { id: 'blockinfile/check-mode-create', from: 'blockinfile create_file.yml in check mode', task: bi('c.txt', { block: 'x\n', create: true }), check: true },
  { id: 'blockinfile/custom-markers', from: 'blockinfile main.yml: marker_begin / marker_end', files: { 'm.txt': 'a\n' }, task: bi('m.txt', { block: 'x\n', marker: '# {mark} managed', marker_begin: 'start', marker_end: 'stop' }) },
]

export const FILE: ModuleCase[] = [
  { id: 'file/touch-new', from: 'file main.yml: touch a file returns changed in check mode if file does not exist (run for real)', task: fl({ path: '@D@/t', state: 'touch' }) },
  { id: 'file/touch-existing', from: 'file main.yml: touch an existing file (changed: times are updated)', files: { t: 'x' }, task: fl({ path: '@D@/t', state: 'touch' }) },
  { id: 'file/touch-existing-check', from: 'file main.yml: touch a file returns changed in check mode if file exists', files: { t: 'x' }, task: fl({ path: '@D@/t', state: 'touch' }), check: true },
  { id: 'file/touch-new-check', from: 'file main.yml: touch a file returns changed in check mode if file does not exist', task: fl({ path: '@D@/t', state: 'touch' }), check: true },
  { id: 'file/symbolic-u=rwx,g=rwx,o=rwx', from: 'file main.yml: test file creation with symbolic mode', task: fl({ path: '@D@/s', state: 'touch', mode: 'u=rwx,g=rwx,o=rwx' }) },
  { id: 'file/symbolic-a=r', from: 'file main.yml: modify symbolic mode for all', files: { s: { mode: 0o777 } }, task: fl({ path: '@D@/s', mode: 'a=r' }) },
  { id: 'file/symbolic-u+w', from: 'file main.yml: modify symbolic mode for owner', files: { s: { mode: 0o444 } }, task: fl({ path: '@D@/s', mode: 'u+w' }) },
  { id: 'file/symbolic-g+w', from: 'file main.yml: modify symbolic mode for group', files: { s: { mode: 0o644 } }, task: fl({ path: '@D@/s', mode: 'g+w' }) },
  { id: 'file/symbolic-o-wx', from: 'file main.yml: remove symbolic mode for world', files: { s: { mode: 0o777 } }, task: fl({ path: '@D@/s', mode: 'o-wx' }) },
  { id: 'file/symbolic-o+t', from: 'file main.yml: set sticky bit with symbolic mode', files: { s: { mode: 0o444 } }, task: fl({ path: '@D@/s', mode: 'o+t' }) },
  { id: 'file/symbolic-g+s', from: 'file main.yml: add setgid with symbolic mode', files: { s: { mode: 0o444 } }, task: fl({ path: '@D@/s', mode: 'g+s' }) },
  { id: 'file/symbolic-g-s', from: 'file main.yml: remove setgid with symbolic mode', files: { s: { mode: 0o2444 } }, task: fl({ path: '@D@/s', mode: 'g-s' }) },
  { id: 'file/symbolic-u+s', from: 'file main.yml: add setuid with symbolic mode', files: { s: { mode: 0o444 } }, task: fl({ path: '@D@/s', mode: 'u+s' }) },
  { id: 'file/symbolic-u=rwx,g=rx,o=', from: 'file main.yml: symbolic modes, several clauses', files: { s: { mode: 0o644 } }, task: fl({ path: '@D@/s', mode: 'u=rwx,g=rx,o=' }) },
  { id: 'file/symbolic-dir-a+X', from: 'file main.yml: symbolic X on a directory', files: { d: { dir: true, mode: 0o700 } }, task: fl({ path: '@D@/d', state: 'directory', mode: 'a+X' }) },
  { id: 'file/directory-new', from: 'file main.yml: create a test sub-directory', task: fl({ dest: '@D@/sub1', state: 'directory' }) },
  { id: 'file/directory-parents-mode', from: 'file main.yml: create a directory with parents and mode', task: fl({ path: '@D@/a/b/c', state: 'directory', mode: '0700' }) },
  { id: 'file/absent-dir', from: 'file main.yml: remove directory foobar', files: { 'foobar/fileA': '', 'foobar/directory/fileC': '' }, task: fl({ path: '@D@/foobar', state: 'absent' }) },
  { id: 'file/absent-missing', from: 'file main.yml: remove a path that is not there', task: fl({ path: '@D@/none', state: 'absent' }) },
  { id: 'file/file-missing', from: 'file main.yml: state=file on a missing path fails', task: fl({ path: '@D@/none', state: 'file' }) },
  { id: 'file/file-on-directory-force', from: 'file directory_as_dest.yml: try to create a file with directory as dest (force)', files: { sub1: { dir: true } }, task: fl({ dest: '@D@/sub1', state: 'file', force: true }) },
  { id: 'file/mode-file', from: 'file main.yml: change mode of a file', files: { f: { mode: 0o644 } }, task: fl({ path: '@D@/f', mode: '0600' }) },
  { id: 'file/mode-int', from: 'file main.yml: mode given as a YAML int (0600 = 384)', files: { f: { mode: 0o644 } }, task: fl({ path: '@D@/f', mode: 384 }) },
  { id: 'file/numeric-owner', from: 'file main.yml: change ownership with a numeric uid (owner=1235)', files: { f: '' }, task: fl({ path: '@D@/f', owner: '1235', group: '1235' }) },
  { id: 'file/recurse-owner', from: 'file main.yml: change the ownership of a directory with recurse=yes', files: { 'foobar/fileA': '', 'foobar/directory/fileC': '' }, task: fl({ path: '@D@/foobar', owner: '1235', recurse: true }) },
  { id: 'file/recurse-mode-directory', from: 'file main.yml: recurse mode on a directory with state=directory', files: { 'd/a': { mode: 0o600 }, 'd/e': { dir: true, mode: 0o700 } }, task: fl({ path: '@D@/d', state: 'directory', mode: 'u=rwX,g=rX,o=rX', recurse: true }) },
  { id: 'file/owner-missing-check', from: 'file main.yml: owner does not exist in check_mode (#67307)', files: { t: '' }, task: fl({ path: '@D@/t', owner: 'kubeseednosuchuser', state: 'touch' }), check: true },
  { id: 'file/group-missing-check', from: 'file main.yml: group does not exist in check_mode', files: { t: '' }, task: fl({ path: '@D@/t', group: 'kubeseednosuchgroup', state: 'touch' }), check: true },
  { id: 'file/owner-missing', from: 'file main.yml: owner that does not exist', files: { t: '' }, task: fl({ path: '@D@/t', owner: 'kubeseednosuchuser' }) },
  { id: 'file/link-new', from: 'file state_link.yml: create soft link to file', files: { f: 'x' }, task: fl({ src: '@D@/f', dest: '@D@/soft.txt', state: 'link' }) },
  { id: 'file/link-to-relative', from: 'file state_link.yml: change soft link to relative', files: { f: 'x', 'soft.txt': { link: '@D@/f' } }, task: fl({ src: 'f', dest: '@D@/soft.txt', state: 'link' }) },
  { id: 'file/link-missing-source', from: 'file state_link.yml: fail to create soft link to non existent file', task: fl({ src: '/nonexistent', dest: '@D@/soft2.txt', state: 'link', force: false }) },
  { id: 'file/link-missing-source-force', from: 'file state_link.yml: force creation soft link to non existent', task: fl({ src: '/nonexistent', dest: '@D@/soft2.txt', state: 'link', force: true }) },
  { id: 'file/link-to-directory', from: 'file state_link.yml: create soft link to directory using absolute path', task: fl({ src: '/', dest: '@D@/root', state: 'link' }) },
  { id: 'file/link-relative-in-subdir', from: 'file state_link.yml: create soft link to relative file', files: { 'sub1/file1': '', sub2: { dir: true } }, task: fl({ src: '../sub1/file1', dest: '@D@/sub2/link1', state: 'link' }) },
  { id: 'file/link-mode-follows', from: 'file main.yml: mode on a link applies to its target (follow defaults true)', files: { f: { mode: 0o644 } }, task: fl({ src: '@D@/f', dest: '@D@/l', state: 'link', mode: '0600' }) },
  { id: 'file/link-over-file', from: 'file directory_as_dest.yml: link over a regular file without force fails', files: { f: 'x', l: 'y' }, task: fl({ src: '@D@/f', dest: '@D@/l', state: 'link' }) },
  { id: 'file/link-over-file-force', from: 'file state_link.yml: link over a regular file with force', files: { f: 'x', l: 'y' }, task: fl({ src: '@D@/f', dest: '@D@/l', state: 'link', force: true }) },
  { id: 'file/link-over-empty-dir-force', from: 'file directory_as_dest.yml: link can overwrite an empty directory with force=True', files: { file_to_link: 'Hello World', sub1: { dir: true } }, task: fl({ src: '@D@/file_to_link', dest: '@D@/sub1', state: 'link', force: true }) },
  { id: 'file/link-over-dir-no-force', from: 'file directory_as_dest.yml: specify a directory with state=link, force=False', files: { file_to_link: 'Hello World', sub1: { dir: true } }, task: fl({ src: '@D@/file_to_link', dest: '@D@/sub1', state: 'link', force: false }) },
  { id: 'file/hard-link', from: 'file main.yml: create hard link to file', files: { f: 'x' }, task: fl({ src: '@D@/f', dest: '@D@/hard.txt', state: 'hard' }) },
  { id: 'file/hard-link-into-directory', from: 'file directory_as_dest.yml: try to create a hardlink with directory as dest', files: { file_to_link: 'Hello World', sub1: { dir: true } }, task: fl({ src: '@D@/file_to_link', dest: '@D@/sub1', state: 'hard', force: false }) },
  { id: 'file/recurse-without-state', from: 'file main.yml: try to change permissions without following symlinks (recurse, no state)', files: { 'r/t': { mode: 0o755 }, 'r/d': { dir: true } }, task: fl({ path: '@D@/r', follow: false, mode: 'a-x', recurse: true }) },
  { id: 'file/directory-on-file', from: 'file main.yml: state=directory on a regular file fails', files: { f: '' }, task: fl({ path: '@D@/f', state: 'directory' }) },
]

export const COPY: ModuleCase[] = [
  { id: 'copy/content-new', from: 'copy tests.yml: initiate a basic copy, and also test the mode', task: { copy: { content: 'foo.txt\n', dest: '@D@/foo.txt', mode: '0444' } } },
  { id: 'copy/content-no-mode', from: 'copy tests.yml: copy content without a mode (the umask decides)', task: { copy: { content: 'x\n', dest: '@D@/x.txt' } } },
  { id: 'copy/same-content-new-mode', from: 'copy tests.yml: copy the same contents into place but change mode', files: { 'foo.txt': { content: 'foo.txt\n', mode: 0o444 } }, task: { copy: { content: 'foo.txt\n', dest: '@D@/foo.txt', mode: '0404' } } },
  { id: 'copy/content-to-directory', from: 'copy tests.yml: try with content and directory as destination to ensure it fails', files: { d: { dir: true } }, task: { copy: { content: 'x', dest: '@D@/d/' } } },
  { id: 'copy/src-to-directory-with-mode', from: 'copy tests.yml: copy source file to destination directory with mode', controller: { 'foo.txt': 'foo.txt\n' }, files: { d: { dir: true } }, task: { copy: { src: '@S@/foo.txt', dest: '@D@/d', mode: '0500' } } },
  { id: 'copy/src-to-directory-slash', from: 'copy tests.yml: copy a file into a directory given with a trailing slash', controller: { 'foo.txt': 'foo.txt\n' }, files: { d: { dir: true } }, task: { copy: { src: '@S@/foo.txt', dest: '@D@/d/' } } },
  { id: 'copy/mode-preserve', from: 'copy tests.yml: copy with mode=preserve', controller: { 'foo.txt': { content: 'foo.txt\n', mode: 0o547 } }, task: { copy: { src: '@S@/foo.txt', dest: '@D@/copy-foo.txt', mode: 'preserve' } } },
  { id: 'copy/mode-preserve-remote-src', from: 'copy tests.yml: test copy with mode=preserve and remote_src=True', files: { 'copy-foo.txt': { content: 'foo.txt\n', mode: 0o547 } }, task: { copy: { src: '@D@/copy-foo.txt', dest: '@D@/copy-foo2.txt', mode: 'preserve', remote_src: true } } },
  { id: 'copy/dir-no-trailing-slash', from: 'copy tests.yml: test recursive copy to directory no trailing slash', controller: { 'subdir/bar.txt': 'baz\n', 'subdir/subdir2/baz.txt': 'baz\n', 'subdir/subdir1/empty.txt': '' }, files: { out: { dir: true } }, task: { copy: { src: '@S@/subdir', dest: '@D@/out' } } },
  { id: 'copy/dir-trailing-slash', from: 'copy tests.yml: test recursive copy to directory trailing slash', controller: { 'subdir/bar.txt': 'baz\n', 'subdir/subdir2/baz.txt': 'baz\n' }, files: { out: { dir: true } }, task: { copy: { src: '@S@/subdir/', dest: '@D@/out' } } },
  { id: 'copy/dir-to-missing-dest', from: 'copy tests.yml: recursive copy to a destination that does not exist yet', controller: { 'subdir/bar.txt': 'baz\n', 'subdir/a/b.txt': 'b\n' }, task: { copy: { src: '@S@/subdir/', dest: '@D@/new/' } } },
  { id: 'copy/remote-src-dir', from: 'copy tests.yml: recursive copy with remote_src', files: { 'src/a.txt': 'a\n', 'src/s/b.txt': 'b\n', out: { dir: true } }, task: { copy: { src: '@D@/src', dest: '@D@/out', remote_src: true } } },
  { id: 'copy/force-no', from: 'copy tests.yml: copy with force=no over an existing file', files: { f: 'old\n' }, task: { copy: { content: 'new\n', dest: '@D@/f', force: false } } },
  { id: 'copy/dest-missing-parent', from: 'copy dest_in_non_existent_directories.yml (a file into a missing directory fails)', task: { copy: { content: 'x', dest: '@D@/nope/deeper/f' } } },
  { id: 'copy/remote-src-missing', from: 'copy src_remote_file_is_not_file.yml: remote_src pointing nowhere fails', task: { copy: { src: '@D@/nothing', dest: '@D@/f', remote_src: true } } },
  { id: 'copy/check-mode', from: 'copy check_mode.yml: copy in check mode changes nothing', task: { copy: { content: 'x\n', dest: '@D@/f', mode: '0600' } }, check: true },
  { id: 'copy/symbolic-mode', from: 'copy tests.yml: copy with a symbolic mode', task: { copy: { content: 'x\n', dest: '@D@/f', mode: 'u=rw,g=r,o=' } } },
]

export const STAT: ModuleCase[] = [
  { id: 'stat/file', from: 'stat main.yml: stat a file', files: { 'foo.txt': 'foo\n' }, task: { stat: { path: '@D@/foo.txt' } }, stat: true },
  { id: 'stat/missing', from: 'stat main.yml: stat a path that is not there', task: { stat: { path: '@D@/nothing' } }, stat: true },
  { id: 'stat/directory', from: 'stat main.yml: stat a directory', files: { d: { dir: true } }, task: { stat: { path: '@D@/d' } }, stat: true },
  { id: 'stat/symlink', from: 'stat main.yml: check stat of a symlink with follow off', files: { 'foo.txt': 'foo\n', 'foo-link': { link: '@D@/foo.txt' } }, task: { stat: { path: '@D@/foo-link' } }, stat: true },
  { id: 'stat/symlink-follow', from: 'stat main.yml: check stat of a symlink with follow on', files: { 'foo.txt': 'foo\n', 'foo-link': { link: '@D@/foo.txt' } }, task: { stat: { path: '@D@/foo-link', follow: true } }, stat: true },
]

export const COMMAND: ModuleCase[] = [
  { id: 'command/creates-missing', from: 'command_shell main.yml: execute the test.sh script with creates', task: { command: { cmd: 'touch @D@/afile.txt', creates: '@D@/afile.txt' } } },
  { id: 'command/creates-check', from: 'command_shell main.yml: using creates in check mode (changed, not skipped)', task: { command: { cmd: 'touch @D@/afile.txt', creates: '@D@/afile.txt' } }, check: true },
  { id: 'command/creates-glob-check', from: 'command_shell main.yml: re-run previous command using creates with globbing (check mode)', files: { 'afile.txt': '' }, task: { command: { cmd: 'touch @D@/afile.txt', creates: '@D@/afile.*' } }, check: true },
  { id: 'command/removes-check', from: 'command_shell main.yml: using removes in check mode', files: { 'afile.txt': '' }, task: { command: { cmd: 'rm @D@/afile.txt', removes: '@D@/afile.txt' } }, check: true },
  { id: 'command/removes-glob-check', from: 'command_shell main.yml: re-run previous command using removes with globbing (check mode)', task: { command: { cmd: 'rm @D@/afile.txt', removes: '@D@/afile.*' } }, check: true },
  { id: 'command/removes', from: 'command_shell main.yml: remove afile.txt with removes', files: { 'afile.txt': '' }, task: { command: { cmd: 'rm @D@/afile.txt', removes: '@D@/afile.txt' } } },
  { id: 'command/chdir', from: 'command_shell main.yml: execute the test.sh script with chdir via command', files: { 'test.sh': { content: '#!/bin/sh\necho win > out.txt\n', mode: 0o755 } }, task: { command: { cmd: './test.sh', chdir: '@D@' } } },
  { id: 'command/chdir-missing', from: 'command_shell main.yml: check invalid chdir', task: { command: { cmd: 'true', chdir: '@D@/nope' } } },
  { id: 'command/chdir-symlink', from: 'command_shell: chdir through a symlink gives the physical directory', files: { 'real/x': '', lnk: { link: '@D@/real' } }, task: { shell: { cmd: 'pwd > @D@/pwd.txt', chdir: '@D@/lnk' } } },
  { id: 'command/check-mode-plain', from: 'command_shell main.yml: a command without creates/removes in check mode is skipped', task: { command: { cmd: 'touch @D@/x' } }, check: true },
  { id: 'shell/pipe', from: 'command_shell main.yml: execute a shell command using a pipe', task: { shell: 'echo hi | cat > @D@/o.txt' } },
  { id: 'shell/creates', from: 'command_shell main.yml: execute the test.sh script with creates via shell', files: { 'afile.txt': '' }, task: { shell: { cmd: 'echo x > @D@/afile.txt', creates: '@D@/afile.txt' } } },
  { id: 'command/failing', from: 'command_shell main.yml: a command exiting non-zero fails', task: { command: 'false' } },
]

export const CASES: ModuleCase[] = [...LINEINFILE, ...BLOCKINFILE, ...FILE, ...COPY, ...STAT, ...COMMAND]
