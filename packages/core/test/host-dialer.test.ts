import test from 'brittle'
import DHT from 'hyperdht'
import b4a from 'b4a'
import { HostDialer, classifyDialError } from '../src/host-dialer.js'
import { FakeHost, localTestnet } from './helpers/fake-host.js'
import { untilEvent } from './helpers/until-event.js'
import type { Testnet } from 'hyperdht/testnet.js'

function dialer(t: TestContext, testnet: Testnet, hostKey: Uint8Array) {
  const d = new HostDialer({
    bootstrap: testnet.bootstrap,
    hostKey,
    keyPair: DHT.keyPair(),
    backoffs: [100, 200],
    jitter: 0
  })
  t.teardown(() => d.close(), { order: 40 })
  return d
}

test('what a failed connect means, in the words a person gets', (t) => {
  t.is(classifyDialError({ code: 'PEER_NOT_FOUND' }).code, 'HOST_OFFLINE')
  for (const code of ['HOLEPUNCH_ABORTED', 'HOLEPUNCH_DOUBLE_RANDOMIZED_NATS', 'RELAY_ABORTED']) {
    t.is(classifyDialError({ code }).code, 'HOST_UNREACHABLE', code)
  }
  t.is(classifyDialError({ code: 'REMOTE_ABORTED' }).code, 'CONNECT_FAILED')
  t.is(classifyDialError({ code: 'ETIMEDOUT' }).code, 'HOST_OFFLINE')
  t.is(classifyDialError({}).code, 'HOST_OFFLINE')
  t.ok(
    classifyDialError({ code: 'HOLEPUNCH_ABORTED', message: 'x' }).detail?.startsWith(
      'HOLEPUNCH_ABORTED'
    )
  )
})

test('a host that is not on the DHT: HOST_OFFLINE at once, then retries on the backoff', async (t) => {
  const testnet = await localTestnet(t)
  const d = dialer(t, testnet, DHT.keyPair().publicKey)
  const failures: { code: string; at: number }[] = []
  const started = Date.now()
  d.on('failure', (err) => failures.push({ code: err.code, at: Date.now() - started }))
  await d.start()
  await untilEvent(d, ['failure'], () => failures.length >= 3, 'three attempts')
  t.is(failures[0]?.code, 'HOST_OFFLINE')
  t.ok((failures[0]?.at ?? Infinity) < 3000, `first answer after ${failures[0]?.at} ms`)
  t.ok(failures.length >= 3, `${failures.length} attempts`)
  const gap = (failures[2]?.at ?? 0) - (failures[1]?.at ?? 0)
  t.ok(gap >= 190, `the third attempt waited for the second backoff (${gap} ms)`)
})

test('the host is reached by its key, and found again when it comes back', async (t) => {
  const testnet = await localTestnet(t)
  const host = await FakeHost.start(t, testnet, () => {})
  const d = dialer(t, testnet, host.keyPair.publicKey)
  const streams: Uint8Array[] = []
  const next = () =>
    new Promise<void>((resolve) =>
      d.once('stream', (stream) => {
        streams.push(stream.remotePublicKey)
        stream.on('close', () => d.lost())
        d.connected()
        resolve()
      })
    )
  const first = next()
  await d.start()
  await first
  t.ok(b4a.equals(streams[0] as Uint8Array, host.keyPair.publicKey), 'the remote key is the host’s')
  const again = next()
  await host.stop()
  await host.listen(() => {})
  const back = Date.now()
  await again
  t.ok(Date.now() - back < 5000, `reconnected ${Date.now() - back} ms after the host came back`)
})

test('retryNow dials at once instead of waiting for the backoff', async (t) => {
  const testnet = await localTestnet(t)
  const d = new HostDialer({
    bootstrap: testnet.bootstrap,
    hostKey: DHT.keyPair().publicKey,
    keyPair: DHT.keyPair(),
    backoffs: [60_000],
    jitter: 0
  })
  t.teardown(() => d.close(), { order: 40 })
  let failures = 0
  const failed = () => new Promise<void>((resolve) => d.once('failure', () => resolve()))
  d.on('failure', () => failures++)
  const first = failed()
  await d.start()
  await first
  const second = failed()
  d.retryNow()
  await second
  t.is(failures, 2, 'a second attempt within the 60 s backoff')
})
