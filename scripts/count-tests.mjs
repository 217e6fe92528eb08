// Counts the tests in brittle test files without running any: each file is imported with
// 'brittle' swapped for brittle-counter.mjs, whose `test()` only counts. scripts/suite.mjs
// uses it to report a Bare run it cannot do (no bare runtime here) as N skipped tests.
//
//   node scripts/count-tests.mjs dist/test/a.test.js dist/test/b.test.js   # prints e.g. 45
//
// A file's top-level code still runs (its imports, its fixtures); only the test bodies don't.

import { register } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

register('./brittle-counter.mjs', import.meta.url)
globalThis.localllmTestCount = 0
for (const file of process.argv.slice(2)) await import(pathToFileURL(resolve(file)).href)
console.log(globalThis.localllmTestCount)
// Whatever a file's top level left open (a timer, a socket) must not keep this alive.
process.exit(0)
