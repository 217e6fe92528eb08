// The Ollama API the stand-in serves: /api/version, /api/tags, /api/ps, /api/show and
// /api/chat, answered the way Ollama 0.32.15 answers them.
//
//   dispatch([ollamaRoutes(context)], req, res)
//
// /api/show echoes an unknown name with `:latest` added ("model 'foo:latest' not found")
// while /api/chat echoes it as sent ("model 'foo' not found"): Ollama does the same.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleChat, type ChatContext } from './chat.js'
import { readBody, sendError, sendJson, sendText } from './http-io.js'
import { normalizeModelName, psEntry, showBody, tagsEntry } from './models.js'
import type { Routes } from './router.js'

export const OLLAMA_VERSION = '0.32.15'

export function ollamaRoutes(context: ChatContext): Routes {
  const running = (_req: IncomingMessage, res: ServerResponse) =>
    sendText(res, 200, 'Ollama is running')
  const version = (_req: IncomingMessage, res: ServerResponse) =>
    sendJson(res, 200, { version: OLLAMA_VERSION })
  const tags = (_req: IncomingMessage, res: ServerResponse) =>
    sendJson(res, 200, { models: context.catalog.list().map(tagsEntry) })

  return {
    '/': { GET: running, HEAD: running },
    '/api/version': { GET: version, HEAD: version },
    '/api/tags': { GET: tags, HEAD: tags },
    '/api/ps': { GET: (_req, res) => sendJson(res, 200, { models: loadedModels(context) }) },
    '/api/show': { POST: (req, res) => show(req, res, context) },
    '/api/chat': { POST: (req, res) => handleChat(req, res, context) }
  }
}

function loadedModels(context: ChatContext): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const { name, expiresAt } of context.loader.loaded()) {
    const model = context.catalog.find(name)
    if (model) out.push(psEntry(model, expiresAt))
  }
  return out
}

async function show(req: IncomingMessage, res: ServerResponse, context: ChatContext) {
  const body = await readBody(req)
  if (body.trim() === '') return sendError(res, 400, 'missing request body')
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (err) {
    return sendError(res, 400, (err as Error).message)
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >
  // `name` is the older spelling Ollama still accepts.
  const name = [fields.name, fields.model].find((v) => typeof v === 'string' && v !== '')
  if (typeof name !== 'string') return sendError(res, 400, 'model is required')
  const model = context.catalog.find(name)
  if (!model) return sendError(res, 404, `model '${normalizeModelName(name)}' not found`)
  sendJson(res, 200, showBody(model))
}
