// Where kubeseed's own data (roles, templates, playbooks, offline manifest) lives: the package root,
// found from this module's location so it works from src/ (tsx) and from dist/ (built).

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubeseed') return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('kubeseed package root not found')
    dir = up
  }
}

export const PACKAGE_ROOT = findRoot()
export const ROLES_DIR = join(PACKAGE_ROOT, 'roles')
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates')
export const PLAYBOOKS_DIR = join(PACKAGE_ROOT, 'playbooks')
export const OFFLINE_DIR = join(PACKAGE_ROOT, 'offline')
