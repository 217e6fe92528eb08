import type { Command } from '@localllm/worklet'
import { CommandGate } from '../src/state/command-gate'

const SEED = 'ab'.repeat(32)

function gateWithLog() {
  const sent: Command[] = []
  let onSend: (cmd: Command) => void = () => undefined
  const gate = new CommandGate((cmd) => {
    sent.push(cmd)
    onSend(cmd)
  })
  return { gate, sent, setOnSend: (f: (cmd: Command) => void) => (onSend = f) }
}

test('nothing goes out before the Keychain has answered; then all of it, in order', () => {
  const { gate, sent } = gateWithLog()
  gate.push(() => ({ cmd: 'connect', server_id: 'x', device_seed: SEED }))
  gate.push(() => ({ cmd: 'retry' }))
  expect(sent).toEqual([])
  gate.keyLoaded()
  expect(sent.map((c) => c.cmd)).toEqual(['connect', 'retry'])
})

test('after a connect without a key, the next commands wait for the worklet’s device event', () => {
  let seed: string | undefined
  const { gate, sent } = gateWithLog()
  gate.keyLoaded()
  const connect = (id: string) => () =>
    ({ cmd: 'connect', server_id: id, ...(seed ? { device_seed: seed } : {}) }) as Command
  gate.push(connect('a'))
  gate.push(connect('b'))
  expect(sent).toHaveLength(1)
  seed = SEED
  gate.deviceAnswered()
  expect(sent[1]).toEqual({ cmd: 'connect', server_id: 'b', device_seed: SEED })
})

test('a device event that comes back while the connect is being sent still opens the gate', () => {
  const { gate, sent, setOnSend } = gateWithLog()
  gate.keyLoaded()
  setOnSend((cmd) => {
    if (cmd.cmd === 'connect') gate.deviceAnswered()
  })
  gate.push(() => ({ cmd: 'connect', server_id: 'a' }))
  gate.push(() => ({ cmd: 'send', ref: 'r', prompt: 'hi' }))
  expect(sent.map((c) => c.cmd)).toEqual(['connect', 'send'])
})
