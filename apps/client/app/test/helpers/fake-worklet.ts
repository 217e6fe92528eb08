// Stands in for react-native-bare-kit at the module edge: a Worklet whose IPC decodes the
// app's commands with the worklet's own CommandDecoder and answers with scripted events.
// Like the real worklet, a `connect` without `device_seed` is answered first with a
// `device` event carrying a new key (FAKE_DEVICE_SEED).
//
//   FakeWorklet.script = (cmd, w) => { if (cmd.cmd === 'connect') w.emitEvent({ event: 'status', status: 'connected' }) }
//   FakeWorklet.last.emitEvent({ event: 'chunk', ref, text: 'Hi' })

import { CommandDecoder, encodeIpc, type Command, type WorkletEvent } from '@localllm/worklet'

type Listener = (chunk: Uint8Array) => void

export const FAKE_DEVICE_SEED = 'd5'.repeat(32)
export const FAKE_DEVICE_PUBLIC_KEY = 'e6'.repeat(32)

export class FakeWorklet {
  static last: FakeWorklet | null = null
  static all: FakeWorklet[] = []
  static script: (command: Command, worklet: FakeWorklet) => void = () => undefined
  /** Holds back the `device` answer to a connect until releaseDevice() (a slow worklet). */
  static holdDevice = false

  readonly commands: Command[] = []
  readonly appStates: string[] = []
  started: { filename: string; source: unknown } | null = null
  terminated = false
  readonly #listeners: Listener[] = []
  readonly #decoder = new CommandDecoder()
  readonly #heldDevice: Array<() => void> = []

  readonly IPC = {
    on: (event: string, listener: Listener) => {
      if (event === 'data') this.#listeners.push(listener)
      return this.IPC
    },
    write: (bytes: Uint8Array) => {
      for (const result of this.#decoder.push(bytes)) {
        if (!result.ok) throw new Error(`the app sent an invalid command: ${result.error.detail}`)
        this.commands.push(result.command)
        if (result.command.cmd === 'connect' && result.command.device_seed === undefined) {
          const device = () =>
            this.emitEvent({
              event: 'device',
              seed: FAKE_DEVICE_SEED,
              public_key: FAKE_DEVICE_PUBLIC_KEY
            })
          if (FakeWorklet.holdDevice) this.#heldDevice.push(device)
          else device()
        }
        FakeWorklet.script(result.command, this)
      }
      return true
    }
  }

  constructor() {
    FakeWorklet.last = this
    FakeWorklet.all.push(this)
  }

  start(filename: string, source: unknown): void {
    this.started = { filename, source }
    this.emitEvent({ event: 'ready', version: '0.1.0' })
  }

  update(state: string): void {
    this.appStates.push(state)
  }

  terminate(): void {
    this.terminated = true
  }

  releaseDevice(): void {
    for (const device of this.#heldDevice.splice(0)) device()
  }

  emitEvent(event: WorkletEvent): void {
    const bytes = encodeIpc(event)
    for (const listener of this.#listeners) listener(bytes)
  }

  static reset(): void {
    FakeWorklet.last = null
    FakeWorklet.all = []
    FakeWorklet.script = () => undefined
    FakeWorklet.holdDevice = false
  }
}

export const Worklet = FakeWorklet
