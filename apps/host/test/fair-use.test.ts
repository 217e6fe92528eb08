// One paired device cannot shut the others out: idle devices make room, a chat_start storm is
// cut off and the honest device gets through, a device that just had its turn lets a waiting
// one go first, replies are capped, strangers before hello are capped without touching paired
// devices, and a client's error messages count against its budget.
import test from 'brittle'
import { readdirSync, watch } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger } from '../src/logger.js'
import { startWorld, type World } from './helpers/world.js'
import { Wakeup, tempDir, type WirePeer } from '@localllm/testing'

function codeOf(m: WirePeer['messages'][number] | undefined): string | undefined {
  return m?.type === 'error' ? m.payload.code : undefined
}

async function five(w: World): Promise<WirePeer[]> {
  const peers: WirePeer[] = []
  for (let i = 0; i < 5; i++) peers.push(await w.connect({ name: `device ${i}` }))
  return peers
}

test('five idle devices and a sixth that wants in: the one idle longest makes room', async (t) => {
  const w = await startWorld(t, { host: { fairUse: { idleEvictMs: 400 } } })
  const devices = await five(w)
  await devices[0]?.chat('I was here first, and talked last')
  // All five idle past the limit; device 0 talked most recently, so another one goes.
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 500))
  const sixth = await w.connect({ name: 'newcomer' })
  t.is(sixth.serverInfos, 1, 'the sixth is let in')
  const evicted = devices.find((d) => d.messages.some((m) => codeOf(m) === 'HOST_FULL'))
  t.ok(evicted, 'one of the five was told HOST_FULL')
  t.not(evicted, devices[0], 'not the one that talked last')
  await evicted?.waitClosed(5000)
  const full = evicted?.messages.find((m) => codeOf(m) === 'HOST_FULL')
  t.ok(full?.type === 'error' && full.payload.detail?.includes('idle'), 'the detail says why')
  t.is(w.host.state.clients, 5)
  t.ok(
    w.host.state.connected.some((d) => d.name === 'newcomer'),
    'and the newcomer holds its slot'
  )
})

test('a sixth device is refused while none of the five has been idle long enough', async (t) => {
  const w = await startWorld(t, { host: { fairUse: { idleEvictMs: 60_000 } } })
  await five(w)
  const sixth = await w.connect({ waitForInfo: false })
  await sixth.waitClosed(5000)
  t.is(sixth.refusal, 'HOST_FULL')
})

test('a device with a reply running is never the one that makes room', async (t) => {
  const w = await startWorld(t, { host: { fairUse: { idleEvictMs: 300 } } })
  w.standin.enqueue({ tokens: 400, tokensPerSecond: 100 })
  const devices = await five(w)
  const busy = devices[1] as WirePeer
  const id = busy.startChat('a long one')
  await busy.waitFor((m) => m.type === 'chat_chunk')
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 400))
  for (const d of devices) if (d !== busy) d.startChat('touch') // active again, idle from now
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 400))
  await w.connect({ name: 'newcomer' })
  t.absent(
    busy.messages.some((m) => codeOf(m) === 'HOST_FULL'),
    'the device being answered stays'
  )
  t.is((await busy.terminal(id, 15000)).type, 'chat_end')
})

test('a chat_start storm is throttled with TOO_MANY_REQUESTS, and an honest device gets through', async (t) => {
  const w = await startWorld(t, {
    standin: { tokens: 30, tokensPerSecond: 100 },
    host: { fairUse: { maxRefusedStarts: 10, refusedStartWindowMs: 10_000, penaltyMs: 3000 } }
  })
  const storm = await w.connect({ name: 'storm' })
  const honest = await w.connect({ name: 'honest' })
  const flood = setInterval(() => {
    if (!storm.closed) storm.startChat('me, me, me')
  }, 2)
  t.teardown(() => clearInterval(flood))
  let tries = 0
  let answered = false
  while (!answered && tries < 20) {
    tries++
    const reply = await honest.chat(`honest try ${tries}`)
    answered = reply.terminal.type === 'chat_end'
    if (!answered) await new Promise<void>((resolve) => setTimeout(() => resolve(), 300))
  }
  clearInterval(flood)
  t.ok(answered, `the honest device was answered (try ${tries})`)
  t.ok(tries <= 5, `within a few tries (${tries})`)
  t.ok(
    storm.messages.some((m) => codeOf(m) === 'TOO_MANY_REQUESTS'),
    'the storm was told TOO_MANY_REQUESTS'
  )
  t.absent(storm.closed, 'throttled, not disconnected')
  storm.destroy()
  const back = await w.connect({ keyPair: storm.keyPair })
  t.is(
    codeOf((await back.chat('let me')).terminal),
    'TOO_MANY_REQUESTS',
    'reconnecting does not reset the cool-down'
  )
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 3200))
  t.is((await back.chat('now?')).terminal.type, 'chat_end', 'then it is answered again')
})

test('the device that just had its turn waits a moment when another one was turned away', async (t) => {
  const w = await startWorld(t, {
    standin: { tokens: 20, tokensPerSecond: 100 },
    host: { turnGraceMs: 1500 }
  })
  const a = await w.connect({ name: 'a' })
  const b = await w.connect({ name: 'b' })
  const first = a.startChat('first')
  await a.waitFor((m) => m.type === 'chat_chunk')
  t.is(codeOf((await b.chat('my turn?')).terminal), 'MODEL_BUSY', 'b is turned away')
  t.is((await a.terminal(first)).type, 'chat_end')
  const again = await a.chat('again, right away')
  t.is(codeOf(again.terminal), 'MODEL_BUSY', 'a has to wait while b is waiting')
  t.ok(
    again.terminal.type === 'error' && again.terminal.payload.detail?.includes('turn'),
    'and is told why'
  )
  t.is((await b.chat('now?')).terminal.type, 'chat_end', 'b gets its turn')
  t.is((await a.chat('and me')).terminal.type, 'chat_end', 'then a again')
})

test('the reply cap ends an endless reply with finish_reason length, and frees the host', async (t) => {
  const w = await startWorld(t, {
    standin: { tokens: 100_000, tokensPerSecond: 1000 },
    host: { replyCaps: { maxTokens: 50, maxMs: 60_000 } }
  })
  const c = await w.connect()
  const reply = await c.chat('never stop')
  t.is(reply.terminal.type, 'chat_end')
  t.is(reply.terminal.type === 'chat_end' && reply.terminal.payload.finish_reason, 'length')
  t.ok(reply.chunks.length <= 50, `${reply.chunks.length} chunks`)
  const record = await w.standin.waitFor((r) => !r.active)
  t.is(record.options.num_predict, 50, 'Ollama was asked to stop there too')
  t.ok(record.tokensSent <= 51, `Ollama sent ${record.tokensSent} tokens`)
  t.is(w.host.state.status, 'ready')
  t.is(c.info?.limits.max_reply_tokens, 50, 'the cap is in server_info')
})

test('the wall-time cap ends a slow endless reply too', async (t) => {
  const w = await startWorld(t, {
    standin: { tokens: 100_000, tokensPerSecond: 20 },
    host: { replyCaps: { maxTokens: 100_000, maxMs: 600 } }
  })
  const c = await w.connect()
  const started = Date.now()
  const reply = await c.chat('slowly, forever')
  t.is(reply.terminal.type === 'chat_end' && reply.terminal.payload.finish_reason, 'length')
  t.ok(Date.now() - started < 3000, `${Date.now() - started} ms`)
})

test('strangers before hello are capped; a paired device still gets in at once', async (t) => {
  const w = await startWorld(t, {
    host: { fairUse: { maxPending: 4, maxPendingPerAddress: 4 }, helloTimeoutMs: 5000 }
  })
  const phone = await w.connect({ name: 'phone' })
  await phone.close()
  const silent = await Promise.all(
    Array.from({ length: 8 }, () =>
      w.connect({ code: undefined, hostKey: w.hostKey, hello: 'none', waitForInfo: false })
    )
  )
  const closedEarly = await Promise.all(
    silent.map((s) =>
      s.waitClosed(1000).then(
        () => true,
        () => false
      )
    )
  )
  t.is(closedEarly.filter(Boolean).length, 4, 'strangers past the cap are closed at once')
  const started = Date.now()
  const back = await w.connect({ keyPair: phone.keyPair, name: 'phone' })
  t.is(back.serverInfos, 1, 'the paired phone is let in while four strangers wait')
  t.comment(`paired phone connected in ${Date.now() - started} ms with the cap full`)
})

test('a line longer than a hello can be is refused before hello', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect({
    code: undefined,
    hostKey: w.hostKey,
    hello: 'none',
    waitForInfo: false
  })
  c.write('{"type":"hello","payload":{"protocol_version":2,"proof":"' + 'a'.repeat(8000) + '"}}\n')
  await c.waitClosed(5000)
  t.alike(c.messages, [], 'closed, nothing sent')
})

test("a client's error messages count as bad messages and are logged at most once per interval", async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  for (let i = 0; i < 25; i++) {
    c.send({ type: 'error', payload: { code: 'BAD_MESSAGE', message: 'x', retryable: false } })
  }
  await c.waitClosed(5000)
  t.pass('disconnected after the bad-message budget')
  const logged = w.logs.filter((l) => l.msg === 'client reported an error')
  t.is(logged.length, 1, `${logged.length} log lines for 25 errors`)
})

test('log files are readable by the owner only, in a folder only the owner can open', async (t) => {
  const dir = join(await tempDir(t), 'logs')
  const log = createLogger({ level: 'info', file: join(dir, 'host.log') })
  log.info('hello')
  t.is((await stat(dir)).mode & 0o777, 0o700, 'folder 0700')
  // pino-roll writes from a worker thread: wait for its first file to appear in the folder.
  const created = new Wakeup()
  const watcher = watch(dir, () => created.wake())
  t.teardown(() => watcher.close())
  const files = await created.until(
    () => {
      const found = readdirSync(dir).filter((f) => f !== 'current.log')
      return found.length > 0 ? found : undefined
    },
    5000,
    () => new Error('no log file within 5 s')
  )
  t.ok(files.length > 0, files.join(', '))
  for (const f of files) t.is((await stat(join(dir, f))).mode & 0o777, 0o600, `${f} 0600`)
})
