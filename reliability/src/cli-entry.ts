// How a harness file becomes a command: when the file is the script node runs, it re-executes
// itself in the loopback-only namespace (scripts/netns.mjs), counts this process's unhandled
// rejections and uncaught exceptions, runs, and exits 1 if the run or those counts failed.
// Imported by a test instead, it does nothing.
//
//   if (isMain(import.meta.url)) await runCommand(import.meta.url, async (args, harness) => …)

import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface HarnessErrors {
  unhandledRejections: number
  uncaughtExceptions: number
}

export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1]
  return !!script && realpathSync(script) === realpathSync(fileURLToPath(moduleUrl))
}

/** `run` returns true when every invariant held. */
export async function runCommand(
  moduleUrl: string,
  run: (args: string[], errors: HarnessErrors) => Promise<boolean>
): Promise<never> {
  // From reliability/dist/src/*.js; a variable keeps tsc from typing a .mjs it cannot see.
  const netns = new URL('../../../scripts/netns.mjs', moduleUrl).href
  const { enterLoopbackNamespace } = (await import(netns)) as {
    enterLoopbackNamespace: (url: string) => void
  }
  enterLoopbackNamespace(moduleUrl)
  const errors: HarnessErrors = { unhandledRejections: 0, uncaughtExceptions: 0 }
  process.on('unhandledRejection', (reason) => {
    errors.unhandledRejections++
    console.error('unhandled rejection in the harness:', reason)
  })
  process.on('uncaughtException', (err) => {
    errors.uncaughtExceptions++
    console.error('uncaught exception in the harness:', err)
  })
  let ok = false
  try {
    ok = await run(process.argv.slice(2), errors)
  } catch (err) {
    console.error(err)
  }
  ok &&= errors.unhandledRejections === 0 && errors.uncaughtExceptions === 0
  console.log(ok ? 'result          PASS' : 'result          FAIL')
  process.exit(ok ? 0 : 1)
}
