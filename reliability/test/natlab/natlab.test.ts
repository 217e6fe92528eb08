// The NAT lab in `npm test` (suite "natlab"): the real host, relay and clients through real
// kernel NATs (reliability/natlab). Asserts only what never varied in the lab's runs; timings
// and the relayed-to-direct switch vary and are reported by `npm run bench -- natlab`.
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
import { moveAttempt, moveLabel, type MoveRow } from '../../natlab/move-attempt.js'

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

test('without a relay, a phone and a host both behind symmetric NATs cannot connect, and the phone says a relay fixes it', async (t) => {
  const { lab } = await startLab(t)
  const row: ProductRow = { home: 'symmetric', phone: 'symmetric', relay: 'none', client: 'node' }
  const a = await productAttempt(lab, row, { timeoutMs: 10_000 })
  t.absent(a.connected, `${productLabel(row)}: not connected (${a.notes.join(', ')})`)
  t.absent(a.replied, 'no reply')
  t.ok(a.notes.includes('HOST_UNREACHABLE'), 'found, but no path through these networks')
  t.absent(a.notes.includes('HOST_OFFLINE'), 'never "not found": the DHT found the host')
  t.comment(`first said after ${a.firstErrorMs} ms (from the chat process's start)`)
})

test('with `localllm host --relay`, a host behind a symmetric NAT is reached through the relay, from behind a symmetric or a cone NAT, and a prompt streams', async (t) => {
  const { lab, relayKey } = await startLab(t)
  for (const phone of ['symmetric', 'cone'] as const) {
    const row: ProductRow = { home: 'symmetric', phone, relay: 'host', client: 'node' }
    const a = await productAttempt(lab, row, { relayKey })
    t.ok(a.connected, `${productLabel(row)}: connected (${a.connectMs} ms, ${a.path})`)
    if (phone === 'symmetric') {
      // Two randomizing NATs: no punch can succeed, so the relay is the only way.
      t.is(a.path, 'relayed', 'through the relay (the phone passed no relay of its own)')
      t.is(a.hostPath, 'relayed', 'as the host sees it too')
    } else {
      // From a cone NAT a hole punch can win the race with the relay before the phone says
      // `connected` (seen once in a fresh-clone CI run), so the first path is not asserted.
      t.comment(`first path: phone ${a.path}, host ${a.hostPath}`)
    }
    t.ok(a.replied, 'the reply streamed to the end')
  }
})

test('a phone that knows the relay (from an earlier server_info) reaches a cone host from a symmetric NAT at once', async (t) => {
  const { lab, relayKey } = await startLab(t)
  const row: ProductRow = { home: 'cone', phone: 'symmetric', relay: 'both', client: 'node' }
  const a = await productAttempt(lab, row, { relayKey })
  t.ok(a.connected, `${productLabel(row)}: connected (${a.connectMs} ms, ${a.path})`)
  t.ok(a.replied, 'the reply streamed to the end')
})

test('with `localllm host --relay`, the pairs that connect without it still connect and stream', async (t) => {
  const { lab, relayKey } = await startLab(t)
  // cone ↔ symmetric on a first contact is not here: the host offers its relay only when its
  // own NAT is randomizing, so that pair still depends on a hole punch (0.6–18 s in the lab);
  // the phone's known relay covers it (the test above).
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

test('a phone that changes networks while a reply streams reconnects on its own: the reply ends with HOST_DISCONNECTED and the next prompt streams', async (t) => {
  const { lab } = await startLab(t)
  const row: MoveRow = { home: 'cone', from: 'cone', to: 'cone', relay: 'none', client: 'bare' }
  const m = await moveAttempt(lab, row)
  t.ok(m.connected, `${moveLabel(row)}: connected before the move (${m.pathBefore})`)
  t.is(m.firstReply?.ok, false, 'the reply that was streaming did not end normally')
  t.is(m.firstReply?.code, 'HOST_DISCONNECTED', 'it ended with HOST_DISCONNECTED')
  t.ok(m.reconnected, 'the phone connected again by itself, with no command')
  t.ok(m.secondReply?.ok, 'the next prompt streamed a reply to the end')
  t.is(
    m.hostDevicesAfter,
    1,
    'the host lists the phone once: the new connection took the old one’s place'
  )
  t.comment(
    `reply ended ${ms(m.dropMs)} after the move, connected again after ${ms(m.reconnectMs)} (the product's own figure, from the drop: ${ms(m.productReconnectMs)})`
  )
})

/** A lab with its DHT and `localllm relay`, torn down (every process killed) after the test. */
async function startLab(t: TestContext): Promise<{ lab: NatLab; relayKey: string }> {
  const lab = await NatLab.start({ lifeMs: 180_000 })
  t.teardown(() => lab.close(), { order: Infinity })
  const relay = await startProductRelay(lab)
  return { lab, relayKey: relay.key }
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : `${Math.round(value)} ms`
}
