// The one-generation-at-a-time gate on its own (the host-level behaviour is in errors.test.ts).
import test from 'brittle'
import { GenerationGate } from '../src/gate.js'

test('whoever finds the gate held is turned away until it is released', (t) => {
  const gate = new GenerationGate()
  const release = gate.acquire('req-1')
  t.ok(release, 'the first taker gets it')
  t.ok(gate.busy)
  t.is(gate.holder, 'req-1')
  t.is(gate.acquire('req-2'), undefined, 'a second taker is refused')
  t.is(gate.holder, 'req-1', 'and the holder is unchanged')
  release?.()
  t.absent(gate.busy)
  t.is(gate.holder, undefined)
  t.ok(gate.acquire('req-2'), 'free again after release')
})

test('releasing twice is harmless and never frees someone else’s hold', (t) => {
  const gate = new GenerationGate()
  const first = gate.acquire('req-1')
  first?.()
  const second = gate.acquire('req-2')
  first?.()
  t.ok(gate.busy, 'a stale release does not free the new holder')
  t.is(gate.holder, 'req-2')
  second?.()
  second?.()
  t.absent(gate.busy)
})

test('onChange hears every change once, and nothing for a refused acquire or a repeated release', (t) => {
  const changes: boolean[] = []
  const gate = new GenerationGate((busy) => changes.push(busy))
  const release = gate.acquire('req-1')
  gate.acquire('req-2')
  release?.()
  release?.()
  gate.acquire('req-3')?.()
  t.alike(changes, [true, false, true, false])
})
