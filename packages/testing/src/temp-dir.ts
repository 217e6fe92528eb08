// A fresh folder under the OS temp dir, removed when the test ends (after its processes
// are gone: teardown order 50), or when this process exits if a crash skipped teardown.
//
//   const configDir = await tempDir(t)
//   const profile = await tempDir(t, 'localllm-chromium-')

import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Teardown } from './cli-process.js'

const left = new Set<string>()
process.once('exit', () => {
  for (const dir of left) rmSync(dir, { recursive: true, force: true })
})

export async function tempDir(t: Teardown, prefix = 'localllm-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  left.add(dir)
  t.teardown(
    async () => {
      await rm(dir, { recursive: true, force: true })
      left.delete(dir)
    },
    { order: 50 }
  )
  return dir
}
