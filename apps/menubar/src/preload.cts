// The bridge between the app's pages (static/*.html) and the main process, the only API
// the pages get: `window.localllm.onView(cb)` receives what the window shows,
// `window.localllm.send(type, value)` reports a click or an entry.
//
// CommonJS (.cts → .cjs) because Electron's sandboxed preloads cannot be ES modules.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS is the point here
import electron = require('electron')

const { contextBridge, ipcRenderer } = electron

contextBridge.exposeInMainWorld('localllm', {
  onView(callback: (view: unknown) => void): void {
    ipcRenderer.on('localllm:view', (_event, view: unknown) => callback(view))
  },
  send(type: string, value?: unknown): void {
    ipcRenderer.send('localllm:action', type, value)
  }
})
