// The app's commands to the worklet, held back until this phone's device key is settled, so
// one phone stays one device: nothing goes out before the Keychain has answered, and after a
// `connect` without a key (the worklet then makes one) nothing goes out until its `device` event.
//
//   const gate = new CommandGate((cmd) => bridge.send(cmd))
//   gate.push(() => ({ cmd: 'connect', server_id, device_seed: seed ?? undefined }))
//   gate.keyLoaded()        // the Keychain answered (with a seed or none)
//   gate.deviceAnswered()   // the worklet's `device` event, or a connect error before one
//
// Commands are built when they go out, so a connect carries the key known by then.

import type { Command } from '@localllm/worklet'

export class CommandGate {
  readonly #send: (command: Command) => void
  readonly #held: Array<() => Command> = []
  #state: 'loading' | 'open' | 'awaiting-device' = 'loading'

  constructor(send: (command: Command) => void) {
    this.#send = send
  }

  push(make: () => Command): void {
    this.#held.push(make)
    this.#release()
  }

  keyLoaded(): void {
    if (this.#state === 'loading') this.#state = 'open'
    this.#release()
  }

  deviceAnswered(): void {
    if (this.#state === 'awaiting-device') this.#state = 'open'
    this.#release()
  }

  #release(): void {
    while (this.#state === 'open' && this.#held.length > 0) {
      const command = (this.#held.shift() as () => Command)()
      // Before sending: the `device` event may come back before send() returns.
      if (command.cmd === 'connect' && command.device_seed === undefined) {
        this.#state = 'awaiting-device'
      }
      this.#send(command)
    }
  }
}
