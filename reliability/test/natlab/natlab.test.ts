// The NAT lab in `npm test` (suite "natlab"): the real host, relay and clients through real
// kernel NATs (reliability/natlab). Asserts only what never varied in the lab's runs; timings
// and the relayed-to-direct switch vary and are reported by `npm run natlab` instead.
//
//   node scripts/test.mjs natlab       # after npm run build; about two minutes on 2 cores
//
// Each test builds its own lab (sealed namespace check, bridge, 5 DHT nodes, `localllm relay`)
// and tears it down, every process killed by PID.
import test from 'brittle'
import { NatLab } from '../../natlab/nat-lab.js'
import {
  productAttempt,
  productLabel,
  startProductRelay,
  type ProductRow
} from '../../natlab/product-attempt.js'

type TestContext = ReturnType<typeof test>

test('without a relay, a phone reaches a host behind a home (cone) NAT directly, from behind a cone NAT or from a public address, and a prompt streams', async (t) => {
  const { lab } = await startLab(t)
  for (const phone of ['cone', 'none'] as const) {
    const row: ProductRow = { home: 'cone', phone, relay: 'none', client: 'node' }
    const a = await productAttempt(lab, row)
    t.ok(a.connected, `${productLabel(row)}: connected (${a.connectMs} ms)`)
    t.is(a.path, 'direct', 'the phone is connected directly')
    t.is(a.hostPath, 'direct', 'and so is the host')
    t.ok(a.replied, 'the reply streamed to the end')
  }
})

test('without a relay, a phone and a host both behind symmetric NATs cannot connect', async (t) => {
  const { lab } = await startLab(t)
  const row: ProductRow = { home: 'symmetric', phone: 'symmetric', relay: 'none', client: 'node' }
  const a = await productAttempt(lab, row)
  t.absent(a.connected, `${productLabel(row)}: not connected (${a.notes.join(', ')})`)
  t.absent(a.replied, 'no reply')
  // TODO(honest connect errors): today `localllm chat` says HOST_OFFLINE after its 20 s
  // although the host was found and every hole punch ended in HOLEPUNCH_ABORTED. Assert the
  // new sentence ("found, but no direct path… a relay fixes it") once the client has it.
  t.ok(a.notes.includes('HOST_OFFLINE'), 'the chat gives up (today: HOST_OFFLINE)')
})

test('with `localllm host --relay`, a host behind a symmetric NAT is reached through the relay, from behind a symmetric or a cone NAT, and a prompt streams', async (t) => {
  const { lab, relayKey } = await startLab(t)
  for (const phone of ['symmetric', 'cone'] as const) {
    const row: ProductRow = { home: 'symmetric', phone, relay: 'host', client: 'node' }
    const a = await productAttempt(lab, row, { relayKey })
    t.ok(a.connected, `${productLabel(row)}: connected (${a.connectMs} ms)`)
    t.is(a.path, 'relayed', 'first through the relay (the phone passed no relay of its own)')
    t.is(a.hostPath, 'relayed', 'as the host sees it too')
    t.ok(a.replied, 'the reply streamed to the end')
  }
})

test('with `localllm host --relay`, the pairs that connect without it still connect and stream', async (t) => {
  const { lab, relayKey } = await startLab(t)
  // cone ↔ symmetric is not here: the host offers its relay only when its own NAT is
  // randomizing, so that pair still depends on a hole punch (0.6-18 s in the lab, close to
  // the chat's 20 s). It needs the client to know the relay (ClientSession relayThrough).
  const rows: ProductRow[] = [
    { home: 'cone', phone: 'cone', relay: 'host', client: 'node' },
    { home: 'cone', phone: 'none', relay: 'host', client: 'node' },
    { home: 'none', phone: 'symmetric', relay: 'host', client: 'node' }
  ]
  for (const row of rows) {
    const a = await productAttempt(lab, row, { relayKey })
    t.ok(a.connected, `${productLabel(row)}: connected (${a.connectMs} ms, ${a.path})`)
    t.ok(a.replied, 'the reply streamed to the end')
  }
})

test('the iPhone worklet under bare reaches a host behind a symmetric NAT through the relay and a prompt streams', async (t) => {
  const { lab, relayKey } = await startLab(t)
  const row: ProductRow = { home: 'symmetric', phone: 'symmetric', relay: 'host', client: 'bare' }
  const a = await productAttempt(lab, row, { relayKey })
  t.ok(a.connected, `${productLabel(row)}: connected (${a.connectMs} ms)`)
  t.is(a.hostPath, 'relayed', 'through the relay, as the host sees it')
  t.ok(a.replied, 'the reply streamed to the end')
})

/** A lab with its DHT and `localllm relay`, torn down (every process killed) after the test. */
async function startLab(t: TestContext): Promise<{ lab: NatLab; relayKey: string }> {
  const lab = await NatLab.start({ lifeMs: 180_000 })
  t.teardown(() => lab.close(), { order: Infinity })
  const relay = await startProductRelay(lab)
  return { lab, relayKey: relay.key }
}
