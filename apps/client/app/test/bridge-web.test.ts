// The web preview's bridge (src/worklet/bridge.web.ts) over a scripted WebSocket: queued
// commands, events, and what the app sees when the relay connection drops.
import { EventDecoder, encodeIpc, type Command, type WorkletEvent } from '@localllm/worklet'
import { REOPEN_DELAYS_MS, startWorklet } from '../src/worklet/bridge.web'

class FakeSocket {
  static OPEN = 1
  static all: FakeSocket[] = []
  readyState = 0
  binaryType = ''
  sent: Command[] = []
  readonly url: string
  #listeners = new Map<string, Array<(e: unknown) => void>>()

  constructor(url: URL) {
    this.url = url.href
    FakeSocket.all.push(this)
  }
  addEventListener(type: string, listener: (e: unknown) => void) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener])
  }
  send(bytes: Uint8Array) {
    const decoder = new EventDecoder() // any NDJSON line decodes; these are commands
    this.sent.push(...(decoder.push(bytes) as unknown as Command[]))
  }
  close() {
    this.readyState = 3
  }
  emit(type: string, event: unknown = {}) {
    for (const listener of this.#listeners.get(type) ?? []) listener(event)
  }
  open() {
    this.readyState = 1
    this.emit('open')
  }
  event(event: WorkletEvent) {
    const bytes = encodeIpc(event)
    this.emit('message', {
      data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
    })
  }
  drop() {
    this.readyState = 3
    this.emit('close')
  }
}

beforeEach(() => {
  FakeSocket.all = []
  ;(globalThis as unknown as { WebSocket: unknown }).WebSocket = FakeSocket
  jest.useFakeTimers()
})
afterEach(() => jest.useRealTimers())

const connect: Command = { cmd: 'connect', server_id: 'abc' }

test('commands wait for the socket, then go out in order; events come back', () => {
  const events: WorkletEvent[] = []
  const bridge = startWorklet((e) => events.push(e))
  const socket = FakeSocket.all[0]!
  expect(socket.url).toBe('ws://localhost/ipc')
  bridge.send(connect)
  bridge.send({ cmd: 'send', ref: 'r1', prompt: 'Hi' })
  expect(socket.sent).toEqual([])
  socket.open()
  expect(socket.sent.map((c) => c.cmd)).toEqual(['connect', 'send'])
  socket.event({ event: 'chunk', ref: 'r1', text: 'Hello' })
  expect(events).toEqual([{ event: 'chunk', ref: 'r1', text: 'Hello' }])
})

test('a dropped relay looks like a lost host: the streaming reply fails, then it reconnects', () => {
  const events: WorkletEvent[] = []
  const bridge = startWorklet((e) => events.push(e))
  const first = FakeSocket.all[0]!
  first.open()
  bridge.send(connect)
  bridge.send({ cmd: 'send', ref: 'done', prompt: 'One' })
  first.event({
    event: 'end',
    ref: 'done',
    request_id: 'q1',
    finish_reason: 'stop',
    stats: {
      prompt_tokens: 1,
      completion_tokens: 1,
      first_token_ms: 1,
      total_ms: 1,
      tokens_per_second: 1
    }
  })
  bridge.send({ cmd: 'send', ref: 'live', prompt: 'Two' })

  first.drop()
  const failed = events.filter((e) => e.event === 'error')
  expect(failed).toEqual([expect.objectContaining({ ref: 'live', code: 'HOST_DISCONNECTED' })])
  expect(events).toContainEqual({ event: 'status', status: 'reconnecting' })
  expect(FakeSocket.all).toHaveLength(1)

  jest.advanceTimersByTime(REOPEN_DELAYS_MS[0]!)
  const second = FakeSocket.all[1]!
  second.open()
  expect(second.sent).toEqual([connect])
})

test('close() ends the socket and stops reopening it', () => {
  const bridge = startWorklet(() => {})
  const first = FakeSocket.all[0]!
  first.open()
  bridge.close()
  expect(first.readyState).toBe(3)
  first.emit('close')
  jest.advanceTimersByTime(10_000)
  expect(FakeSocket.all).toHaveLength(1)
  bridge.send(connect)
  expect(first.sent).toEqual([])
})

test('the connect repeated on a new relay socket carries the device key the first worklet made', () => {
  const bridge = startWorklet(() => {})
  const first = FakeSocket.all[0]!
  first.open()
  bridge.send(connect)
  first.event({ event: 'device', seed: 'c3'.repeat(32), public_key: 'e4'.repeat(32) })
  first.drop()
  jest.advanceTimersByTime(REOPEN_DELAYS_MS[0]!)
  const second = FakeSocket.all[1]!
  second.open()
  expect(second.sent).toEqual([{ ...connect, device_seed: 'c3'.repeat(32) }])
})
