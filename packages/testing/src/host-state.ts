// Waits on the host engine's own `state` events until a condition holds: no polling, and a
// clear error naming what was awaited when it does not come.
//
//   await untilHostState(host, (s) => s.clients === 1, 'one client')

import type { HostState, LocalLLMHost } from '@localllm/host'

export function untilHostState(
  host: LocalLLMHost,
  check: (state: HostState) => boolean,
  what: string,
  timeoutMs = 10_000
): Promise<HostState> {
  if (check(host.state)) return Promise.resolve(host.state)
  return new Promise((resolve, reject) => {
    const onState = (state: HostState) => {
      if (!check(state)) return
      clearTimeout(timer)
      host.off('state', onState)
      resolve(state)
    }
    const timer = setTimeout(() => {
      host.off('state', onState)
      reject(
        new Error(
          `timed out waiting for the host: ${what} (now ${JSON.stringify({ status: host.state.status, clients: host.state.clients })})`
        )
      )
    }, timeoutMs)
    host.on('state', onState)
  })
}
