// Facts not gathered yet, but about to be: the first batch of a play may carry the facts script in front of its
// steps (one round trip instead of two) when planning that batch reads no fact. Until they arrive, a host's
// facts are a trap: any read of a fact variable or of ctx.facts is counted and throws, so the planner throws
// that plan away, gathers the facts on their own and plans again. Counting as well as throwing keeps this exact
// even where an evaluation catches the error (`x | default(...)`). Once the facts have arrived, the same layer
// answers with them: the results of the batch that carried them are read with the scopes it was planned with.

import { factVars, parseFacts } from '../facts/parse.js'
import type { Facts } from '../task.js'

/** Thrown by a read of facts that are not there yet. */
export class FactsNotYetGathered extends Error {
  constructor(readonly host: string, readonly fact: string) {
    super(`facts of ${host} are not gathered yet (${fact})`)
  }
}

/** Every variable the facts of a host define (their set does not depend on the host's answers). */
const FACT_VARIABLES = Object.keys(factVars(parseFacts('')))

export class PendingFacts {
  private reads = 0

  /** How many reads of pending facts there have been in this run: planning compares it before and after. */
  get touched(): number {
    return this.reads
  }

  private trip(host: string, name: string): never {
    this.reads++
    throw new FactsNotYetGathered(host, name)
  }

  /**
   * The facts layer of a host whose facts are pending: every fact variable is there; reading one trips until
   * `arrived` gives the facts.
   */
  vars(host: string, arrived: () => Facts | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    let vars: Record<string, unknown> | undefined
    for (const name of FACT_VARIABLES) {
      Object.defineProperty(out, name, {
        enumerable: true,
        get: () => {
          const f = arrived()
          if (!f) return this.trip(host, name)
          vars ??= factVars(f)
          return vars[name]
        },
      })
    }
    return out
  }

  /** What a task's plan sees as ctx.facts while they are pending (the facts themselves once they arrived). */
  facts(host: string, arrived: () => Facts | undefined): Facts {
    const real = (k: string | symbol): Facts => arrived() ?? this.trip(host, String(k))
    return new Proxy({} as Facts, {
      get: (_t, k) => real(k)[k as string],
      has: (_t, k) => k in real(k),
      ownKeys: () => Reflect.ownKeys(real('*')),
      getOwnPropertyDescriptor: (_t, k) => Reflect.getOwnPropertyDescriptor(real(k), k),
    })
  }
}
