// A local system (testnet, stand-in, host) torn down with the test, and sessions that are
// closed with it too.
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from '@localllm/testing'
import { ClientSession, type ClientSessionOptions, type SessionStatus } from '@localllm/core'
import type { ProtocolError } from '@localllm/protocol'

export interface TestSystem extends LocalSystem {
  session(options?: Partial<ClientSessionOptions>): SessionProbe
}

/** A ClientSession with what it said recorded, for assertions. */
export interface SessionProbe {
  session: ClientSession
  statuses: SessionStatus[]
  errors: ProtocolError[]
  waitStatus(status: SessionStatus, timeoutMs?: number): Promise<number>
  waitError(code: string, timeoutMs?: number): Promise<ProtocolError>
}

export async function startSystem(
  t: TestContext,
  options: LocalSystemOptions = {}
): Promise<TestSystem> {
  const system = await startLocalSystem(options)
  const sessions: ClientSession[] = []
  // After the test's own teardowns (order 0): a swarm left on a dead testnet waits seconds
  // to unannounce.
  t.teardown(
    async () => {
      await Promise.all(sessions.map((s) => s.close()))
      await system.close()
    },
    { order: 10 }
  )
  return {
    ...system,
    session(sessionOptions = {}) {
      const session = new ClientSession({
        code: system.serverId,
        bootstrap: system.bootstrap,
        client: { name: 'test', platform: 'node' },
        ...sessionOptions
      })
      sessions.push(session)
      return probe(session)
    }
  }
}

export function probe(session: ClientSession): SessionProbe {
  const statuses: SessionStatus[] = []
  const errors: ProtocolError[] = []
  session.on('status', (s) => statuses.push(s))
  session.on('connect-error', (e) => errors.push(e))
  return {
    session,
    statuses,
    errors,
    waitStatus(status, timeoutMs = 15000) {
      const started = Date.now()
      return until(
        () => session.status === status,
        timeoutMs,
        `status ${status} (now ${session.status})`
      ).then(() => Date.now() - started)
    },
    async waitError(code, timeoutMs = 15000) {
      await until(
        () => errors.some((e) => e.code === code),
        timeoutMs,
        `error ${code} (got ${errors.map((e) => e.code).join(', ') || 'none'})`
      )
      return errors.find((e) => e.code === code) as ProtocolError
    }
  }
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
