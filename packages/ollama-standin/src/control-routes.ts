// The control API under /_standin/: the stand-in's own methods over HTTP, so a test or a
// benchmark can script and inspect a stand-in running as a separate process.
//
//   curl -X PATCH localhost:11434/_standin/settings -d '{"reply":"Hi","tokensPerSecond":20}'
//   curl -X POST  localhost:11434/_standin/script   -d '{"failure":{"kind":"drop","afterTokens":3}}'
//   curl          localhost:11434/_standin/requests
//
// Bodies are JSON and checked with parseScript; a bad one is a 400 {"error"}, never a crash.
// Real Ollama answers these paths with 404, so nothing here can shadow its API. The routes see
// the stand-in only through `StandinControl` (OllamaStandin implements it), so this file does
// not import the class that imports it.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody, sendError, sendJson } from './http-io.js'
import { isValidModelName, type InstalledModelInfo, type ModelSpec } from './models.js'
import { OLLAMA_VERSION } from './ollama-routes.js'
import type { RequestRecord } from './request-log.js'
import type { Routes } from './router.js'
import { parseScript, type Script, type Settings } from './script.js'

const MAX_IDLE_WAIT_MS = 60_000

/** What the control API needs of a stand-in. */
export interface StandinControl {
  readonly url: string
  readonly models: InstalledModelInfo[]
  readonly settings: Settings
  readonly queuedScripts: number
  readonly activeCount: number
  readonly requests: RequestRecord[]
  readonly loads: RequestRecord[]
  configure(script: Script): Settings
  enqueue(script: Script): void
  clearQueue(): void
  addModel(model: ModelSpec): void
  removeModel(name: string): boolean
  unload(name?: string): void
  clearRequests(): void
  waitForIdle(timeoutMs?: number): Promise<void>
  reset(): void
}

export function controlRoutes(standin: StandinControl): Routes {
  const state = (_req: IncomingMessage, res: ServerResponse) =>
    sendJson(res, 200, {
      version: OLLAMA_VERSION,
      url: standin.url,
      models: standin.models,
      settings: standin.settings,
      queuedScripts: standin.queuedScripts,
      activeCount: standin.activeCount
    })
  const configure = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readJson(req, res)
    if (body === undefined) return
    const script = parseScript(body)
    if (!script.ok) return sendError(res, 400, script.error)
    sendJson(res, 200, standin.configure(script.script))
  }

  return {
    '/_standin/state': { GET: state },
    '/_standin/settings': {
      GET: (_req, res) => sendJson(res, 200, standin.settings),
      PATCH: configure,
      POST: configure
    },
    '/_standin/script': {
      POST: async (req, res) => {
        const body = await readJson(req, res)
        if (body === undefined) return
        const script = parseScript(body)
        if (!script.ok) return sendError(res, 400, script.error)
        standin.enqueue(script.script)
        sendJson(res, 200, { queuedScripts: standin.queuedScripts })
      },
      DELETE: (_req, res) => {
        standin.clearQueue()
        sendJson(res, 200, { queuedScripts: 0 })
      }
    },
    '/_standin/models': {
      GET: (_req, res) => sendJson(res, 200, { models: standin.models }),
      POST: async (req, res) => {
        const body = await readJson(req, res)
        if (body === undefined) return
        const spec = parseModelSpec(body)
        if (typeof spec === 'string') return sendError(res, 400, spec)
        standin.addModel(spec)
        sendJson(res, 200, { models: standin.models })
      },
      DELETE: (_req, res, url) => {
        const name = url.searchParams.get('name') ?? ''
        if (!standin.removeModel(name)) return sendError(res, 404, `model '${name}' not found`)
        sendJson(res, 200, { models: standin.models })
      }
    },
    '/_standin/unload': {
      POST: async (req, res) => {
        const body = await readJson(req, res)
        if (body === undefined) return
        const model = isRecord(body) && typeof body.model === 'string' ? body.model : undefined
        standin.unload(model)
        sendJson(res, 200, { models: standin.models })
      }
    },
    '/_standin/requests': {
      GET: (_req, res) => sendJson(res, 200, { requests: standin.requests, loads: standin.loads }),
      DELETE: (_req, res) => {
        standin.clearRequests()
        sendJson(res, 200, { requests: standin.requests, loads: standin.loads })
      }
    },
    '/_standin/idle': {
      // Long-polls until no request is active, or timeout_ms (default 5000) passes.
      GET: async (_req, res, url) => {
        const timeoutMs = Math.min(
          Number(url.searchParams.get('timeout_ms') ?? 5000) || 0,
          MAX_IDLE_WAIT_MS
        )
        const idle = await standin.waitForIdle(timeoutMs).then(
          () => true,
          () => false
        )
        sendJson(res, 200, { idle, activeCount: standin.activeCount })
      }
    },
    '/_standin/reset': {
      POST: (_req, res) => {
        standin.reset()
        sendJson(res, 200, { models: standin.models, settings: standin.settings })
      }
    }
  }
}

// The body as JSON, or undefined once a 400 has been sent. An empty body reads as {}, so
// `POST /_standin/unload` needs none.
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const body = await readBody(req)
  if (body.trim() === '') return {}
  try {
    return JSON.parse(body) as unknown
  } catch (err) {
    sendError(res, 400, `the body is not valid JSON: ${(err as Error).message}`)
    return undefined
  }
}

// A name, or {"name", "thinking"?, "size"?}.
function parseModelSpec(value: unknown): ModelSpec | string {
  const spec = typeof value === 'string' ? { name: value } : value
  if (!isRecord(spec) || typeof spec.name !== 'string') return 'expected {"name": "model:tag"}'
  if (!isValidModelName(spec.name)) return 'invalid model name'
  if (spec.thinking !== undefined && typeof spec.thinking !== 'boolean') {
    return 'thinking: expected a boolean'
  }
  if (spec.size !== undefined && !(Number.isSafeInteger(spec.size) && (spec.size as number) > 0)) {
    return 'size: expected a positive integer'
  }
  return spec as unknown as ModelSpec
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
