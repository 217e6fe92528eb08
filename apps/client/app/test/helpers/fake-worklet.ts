// Stands in for react-native-bare-kit at the module edge: a Worklet whose IPC decodes the
// app's commands with the worklet's own CommandDecoder and answers with scripted events.
//
//   FakeWorklet.script = (cmd, w) => { if (cmd.cmd === 'connect') w.emitEvent({ event: 'status', status: 'connected' }) }
//   FakeWorklet.last.emitEvent({ event: 'chunk', ref, text: 'Hi' })

import { CommandDecoder, encodeIpc, type Command, type WorkletEvent } from '@localllm/worklet'

type Listener = (chunk: Uint8Array) => void

export class FakeWorklet {
  static last: FakeWorklet | null = null
  static all: FakeWorklet[] = []
  static script: (command: Command, worklet: FakeWorklet) => void = () => undefined

  readonly commands: Command[] = []
  readonly appStates: string[] = []
  started: { filename: string; source: unknown } | null = null
  terminated = false
  readonly #listeners: Listener[] = []
  readonly #decoder = new CommandDecoder()

  readonly IPC = {
    on: (event: string, listener: Listener) => {
      if (event === 'data') this.#listeners.push(listener)
      return this.IPC
    },
    write: (bytes: Uint8Array) => {
      for (const result of this.#decoder.push(bytes)) {
        if (!result.ok) throw new Error(`the app sent an invalid command: ${result.error.detail}`)
        this.commands.push(result.command)
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

  emitEvent(event: WorkletEvent): void {
    const bytes = encodeIpc(event)
    for (const listener of this.#listeners) listener(bytes)
  }

  static reset(): void {
    FakeWorklet.last = null
    FakeWorklet.all = []
    FakeWorklet.script = () => undefined
  }
}

export const Worklet = FakeWorklet
