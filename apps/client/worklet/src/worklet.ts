// The worklet's entry: what react-native-bare-kit starts on the phone (bundled with
// `bare-pack`). It speaks NDJSON over `BareKit.IPC`; under the plain `bare` binary,
// bin/stdio.js provides that IPC over stdin/stdout first. Bare's suspend and resume (the
// app going to the background and back) suspend and resume the session.

import { WorkletController } from './controller.js'

interface IpcStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown
  on(event: 'end' | 'close', listener: () => void): unknown
  write(chunk: Uint8Array): unknown
}

interface BareRuntime {
  on(event: 'suspend' | 'resume' | 'teardown', listener: () => void): unknown
}

const runtime = globalThis as unknown as { BareKit?: { IPC: IpcStream }; Bare?: BareRuntime }
const ipc = runtime.BareKit?.IPC
if (!ipc) throw new Error('no BareKit.IPC: start the worklet from the app, or with bin/stdio.js')

const controller = new WorkletController((bytes) => ipc.write(bytes))
ipc.on('data', (chunk) => controller.push(chunk))
ipc.on('end', () => void controller.close())
runtime.Bare?.on('suspend', () => void controller.suspend())
runtime.Bare?.on('resume', () => void controller.resume())
runtime.Bare?.on('teardown', () => void controller.close())
