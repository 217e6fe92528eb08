// Runs the worklet under the plain `bare` binary with stdin/stdout as its IPC, the way
// tests (and `bare bin/stdio.js` by hand) drive it:  bare bin/stdio.js < commands.ndjson
// stdout must be a pipe, not a file (bare-pipe refuses regular files).
import Pipe from 'bare-pipe'

const input = new Pipe(0)
const output = new Pipe(1)
globalThis.BareKit = {
  IPC: {
    on(event, listener) {
      input.on(event, listener)
      return this
    },
    write(chunk) {
      return output.write(chunk)
    }
  }
}
input.on('end', () => output.end())
await import('../dist/src/worklet.js')
