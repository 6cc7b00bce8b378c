// How many hosts a run may have in flight, from what this machine and the hosts' sshd allow: one open file
// per host (its SSH connection stays open for the whole run) under the open-files limit, and SSH handshakes
// per sshd below its MaxStartups (sshd's default 10:30:100 starts dropping new unauthenticated connections at
// 10). A run that cannot fit says so before it starts, with the numbers, instead of failing midway.

import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { UsageError } from '../errors.js'

/**
 * Hosts in flight by default. Every host at once would fit the open files, but each host in flight holds its
 * planned batch and its output: 500 light hosts peaked at 378 MB with all in flight, 253 MB with 50.
 */
export const DEFAULT_FORKS = 50

/** Open files the controller needs besides the hosts' connections (node itself, files read, the reporter). */
export const RESERVED_FILES = 64

/** Handshakes in flight at once to one sshd: below the 10 of MaxStartups' default, where drops begin. */
export const HANDSHAKES_PER_SSHD = 8

/** Handshakes in flight at once in all: each costs controller CPU, and one waiting for a core may time out. */
export function handshakesAtOnce(cpus = availableParallelism()): number {
  return Math.max(8, 8 * cpus)
}

/** The soft limit of open files from the text of /proc/self/limits; undefined when unlimited or unknown. */
export function parseOpenFilesLimit(text: string): number | undefined {
  const m = /^Max open files\s+(\S+)/m.exec(text)
  if (!m || m[1] === 'unlimited') return undefined
  const n = Number(m[1])
  return Number.isFinite(n) ? n : undefined
}

export function openFilesLimit(): number | undefined {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Hosts in flight at once: `requested` (--forks) or DEFAULT_FORKS; handshakes are paced on their own
 * (HANDSHAKES_PER_SSHD, handshakesAtOnce). Throws when the hosts' connections cannot all stay open under the
 * open-files limit.
 */
export function forksFor(o: { requested?: number; hosts: number; openFiles?: number }): number {
  if (o.openFiles !== undefined && o.hosts + RESERVED_FILES > o.openFiles) {
    throw new UsageError(`${o.hosts} hosts need about ${o.hosts + RESERVED_FILES} open files (one SSH connection each, open for the whole run, and ${RESERVED_FILES} for kubeseed) and the open-files limit is ${o.openFiles}`,
      undefined, `raise it (ulimit -n ${o.hosts + RESERVED_FILES}) or run on part of the hosts with --limit`)
  }
  return o.requested ?? Math.max(1, Math.min(o.hosts, DEFAULT_FORKS))
}
