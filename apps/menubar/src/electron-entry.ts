// The Electron entry point (package.json "main"): the real Electron and a real host engine,
// on the public DHT and the local Ollama, handed to runMenubar. Tests never import this
// file: loading the `electron` package outside Electron fails.

import electron from 'electron'
import { LocalLLMHost, resolveOllamaUrl } from '@localllm/host'
import { runMenubar } from './main.js'

// Apps opened from Finder get no shell environment, so OLLAMA_HOST is usually unset here.
const ollamaUrl = resolveOllamaUrl(process.env.OLLAMA_HOST) ?? 'http://127.0.0.1:11434'

/** The app (undefined when another instance runs); the packaged-app test waits on its idle(). */
export const menubar = await runMenubar({
  electron,
  createHost: ({ configDir, log }) =>
    new LocalLLMHost({ bootstrap: 'public', ollamaUrl, configDir, log })
})
