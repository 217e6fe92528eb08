// A fresh folder under the OS temp dir, removed when the test ends (after its processes
// are gone: teardown order 50).
//
//   const configDir = await tempDir(t)

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from './brittle.js'

export async function tempDir(t: TestContext, prefix = 'localllm-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }), { order: 50 })
  return dir
}
