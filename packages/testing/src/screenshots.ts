// Where a test saves its screenshots: the folder $LOCALLLM_SCREENSHOTS names (relative to the
// repo root) when refreshing the committed ones is asked for (`npm run menubar:screenshots`,
// `npm run client:screenshots`), else a temp folder removed with the test, so an ordinary
// test run never rewrites a tracked file.
//
//   const png = join(await screenshotDir(t), 'menubar-qr.png')

import { mkdir } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Teardown } from './cli-process.js'
import { tempDir } from './temp-dir.js'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export async function screenshotDir(t: Teardown): Promise<string> {
  const wanted = process.env.LOCALLLM_SCREENSHOTS
  if (!wanted) return tempDir(t, 'localllm-shots-')
  const dir = isAbsolute(wanted) ? wanted : resolve(REPO_ROOT, wanted)
  await mkdir(dir, { recursive: true })
  return dir
}
