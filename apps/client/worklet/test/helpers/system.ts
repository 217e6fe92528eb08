// A local system (testnet, stand-in, host) torn down with the test, and sessions that are
// closed with it too. A probe waits on its session's own events (`status`, `connect-error`).
//
//   const sys = await startSystem(t)
//   const { session, waitStatus } = sys.session()
//   await session.open(); await waitStatus('connected')
import {
  Wakeup,
  startLocalSystem,
  type LocalSystem,
  type LocalSystemOptions
} from '@localllm/testing'
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
  const news = new Wakeup()
  session.on('status', (s) => {
    statuses.push(s)
    news.wake()
  })
  session.on('connect-error', (e) => {
    errors.push(e)
    news.wake()
  })
  return {
    session,
    statuses,
    errors,
    async waitStatus(status, timeoutMs = 15000) {
      const started = Date.now()
      await news.until(
        () => session.status === status || undefined,
        timeoutMs,
        () => new Error(`timed out waiting for status ${status} (now ${session.status})`)
      )
      return Date.now() - started
    },
    waitError(code, timeoutMs = 15000) {
      return news.until(
        () => errors.find((e) => e.code === code),
        timeoutMs,
        () =>
          new Error(
            `timed out waiting for error ${code} (got ${errors.map((e) => e.code).join(', ') || 'none'})`
          )
      )
    }
  }
}
