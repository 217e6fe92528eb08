// Runs the calling script inside a network namespace that has only loopback, so nothing a
// test, benchmark or demo starts can reach an address off this machine, even by mistake.
//
//   import { enterLoopbackNamespace } from './netns.mjs'
//   enterLoopbackNamespace(import.meta.url)   // re-executes this script in the namespace
//
// Root (CI) uses `unshare -n`; anyone else gets a user namespace too (`unshare -rn`).
// Inside, `ip link set lo up` brings loopback up before the script runs again.

import { spawnSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { fileURLToPath } from 'node:url'

const MARKER = 'LOCALLLM_LOOPBACK_NETNS'

export function enterLoopbackNamespace(scriptUrl) {
  if (process.env[MARKER] === '1') {
    assertLoopbackOnly()
    return
  }
  const [command, args] = unshareCommand(fileURLToPath(scriptUrl))
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, [MARKER]: '1' }
  })
  if (result.error) {
    console.error(
      `Could not create a loopback-only network namespace (${result.error.message}).\n` +
        'It needs `unshare` (util-linux) and `ip` (iproute2), and root or user namespaces.'
    )
    process.exit(1)
  }
  process.exit(result.status ?? 1)
}

/** The command that re-runs `script` (with this process's arguments) in a new namespace. */
export function unshareCommand(script) {
  const unshareFlags = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n']
  return [
    'unshare',
    [
      ...unshareFlags,
      '--',
      'sh',
      '-c',
      'ip link set lo up && exec "$@"',
      'sh',
      process.execPath,
      ...process.execArgv,
      script,
      ...process.argv.slice(2)
    ]
  ]
}

function assertLoopbackOnly() {
  const names = Object.keys(networkInterfaces())
  const others = names.filter((name) => name !== 'lo')
  if (others.length > 0 || !names.includes('lo')) {
    console.error(`Refusing to run: network interfaces ${names.join(', ')} (want only lo, up).`)
    process.exit(1)
  }
}
