// Where the page tests save their screenshots: $LOCALLLM_SCREENSHOTS (relative to the repo
// root) when set, so `npm run screenshots -w @localllm/menubar` refreshes docs/screenshots/;
// otherwise a temp folder, so a normal test run never rewrites a tracked file.
//
//   const file = await screenshotFile(t, 'menubar-qr.png')
//   await writeFile(file, png)

import { mkdir } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestContext } from './brittle.js'
import { tempDir } from './temp-dir.js'

const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

export async function screenshotFile(t: TestContext, name: string): Promise<string> {
  const wanted = process.env.LOCALLLM_SCREENSHOTS
  if (!wanted) return join(await tempDir(t, 'localllm-shots-'), name)
  const dir = isAbsolute(wanted) ? wanted : resolve(REPO_ROOT, wanted)
  await mkdir(dir, { recursive: true })
  return join(dir, name)
}
