// A fresh folder under the OS temp dir, removed when the test ends.
//
//   const dir = await tempDir(t)

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from './brittle.js'

export async function tempDir(t: TestContext, prefix = 'localllm-menubar-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }), { order: 50 })
  return dir
}

/** Resolves once `check` returns true (polled every 5 ms), or fails the wait after `ms`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 3000
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${ms} ms: ${String(check)}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
