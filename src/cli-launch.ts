#!/usr/bin/env node
// The installed `kubeseed` command: turns on the compile cache (src/engine/compile-cache.ts), then loads the
// CLI bundle that scripts/bundle-cli.mjs writes beside this file as CommonJS, so the cache covers it too.

import { createRequire } from 'node:module'
import { installCompileCache } from './engine/compile-cache.js'

if (!process.env.KUBESEED_NO_COMPILE_CACHE) installCompileCache()
createRequire(import.meta.url)('./cli-bundle.cjs')
