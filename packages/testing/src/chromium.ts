// The browser the page tests use: Debian's Chromium (`apt-get install chromium`, as .ci/run
// does), driven by playwright-core, with flags that keep it from fetching anything itself.
//
//   await assertChromium()
//   chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS })

import { access } from 'node:fs/promises'

export const CHROMIUM = '/usr/bin/chromium'

// No network, no first-run work, nothing Chromium would fetch on its own.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** Throws a sentence saying how to install Chromium when it is missing. */
export async function assertChromium(): Promise<void> {
  await access(CHROMIUM).catch(() => {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (as .ci/run does)`)
  })
}
