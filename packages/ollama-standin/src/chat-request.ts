// Decodes a POST /api/chat body the way Ollama's Go decoder does, as far as a client can
// tell: the same statuses, and the same messages where clients match on them.
//
//   const r = parseChatRequest(body)
//   if (!r.ok) sendError(res, r.status, r.error)     // 400 missing request body, …
//
// JSON null counts as absent (Go leaves the zero value); unknown fields are ignored. Whether
// the model exists is not decided here: that needs the catalog.

import { parseKeepAlive } from './model-loader.js'

export interface ChatMessage {
  role: string
  content: string
}

export interface ChatRequest {
  /** As sent; not yet known to exist. */
  model: string
  messages: ChatMessage[]
  /** Defaults to true, as on Ollama's server. */
  stream: boolean
  /** null when the client left it out (thinking models then think). */
  think: boolean | string | null
  options: Record<string, unknown>
  /** A positive `options.num_predict`, or null for no limit. */
  numPredict: number | null
  keepAliveMs: number | undefined
}

export type ChatParse =
  | { ok: true; request: ChatRequest }
  | { ok: false; status: number; error: string; model: string | null }

export function parseChatRequest(body: string): ChatParse {
  if (body.trim() === '') return reject(400, 'missing request body')
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (err) {
    return reject(400, (err as Error).message)
  }
  if (!isRecord(value)) {
    return reject(
      400,
      `json: cannot unmarshal ${jsonType(value)} into Go value of type api.ChatRequest`
    )
  }
  const model = typeof value.model === 'string' ? value.model : null
  const wrong = (field: string, goType: string) =>
    reject(
      400,
      `json: cannot unmarshal ${jsonType(value[field])} into Go struct field ChatRequest.${field} of type ${goType}`,
      model
    )

  if (!isAbsentOr(value.model, 'string')) return wrong('model', 'string')
  if (!isAbsentOr(value.stream, 'boolean')) return wrong('stream', 'bool')
  if (value.options != null && !isRecord(value.options))
    return wrong('options', 'map[string]interface {}')
  if (value.think != null && typeof value.think !== 'boolean' && typeof value.think !== 'string') {
    return wrong('think', 'api.ThinkValue')
  }
  const keepAliveMs = value.keep_alive == null ? undefined : parseKeepAlive(value.keep_alive)
  if (value.keep_alive != null && keepAliveMs === undefined)
    return wrong('keep_alive', 'api.Duration')
  const messages = parseMessages(value.messages)
  if (messages === null) return wrong('messages', '[]api.Message')

  if (model === null || model === '') return reject(400, 'model is required')
  const options = value.options ?? {}
  const numPredict = options.num_predict
  return {
    ok: true,
    request: {
      model,
      messages,
      stream: (value.stream as boolean | null | undefined) ?? true,
      think: value.think ?? null,
      options,
      numPredict: typeof numPredict === 'number' && numPredict > 0 ? Math.floor(numPredict) : null,
      keepAliveMs
    }
  }
}

/** Text of the last user message: what a person typed. */
export function promptOf(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as ChatMessage
    if (message.role === 'user') return message.content
  }
  return ''
}

function parseMessages(value: unknown): ChatMessage[] | null {
  if (value == null) return []
  if (!Array.isArray(value)) return null
  const messages: ChatMessage[] = []
  for (const item of value as unknown[]) {
    if (
      !isRecord(item) ||
      !isAbsentOr(item.role, 'string') ||
      !isAbsentOr(item.content, 'string')
    ) {
      return null
    }
    messages.push({
      role: (item.role as string | null) ?? '',
      content: (item.content as string | null) ?? ''
    })
  }
  return messages
}

function isAbsentOr(value: unknown, type: 'string' | 'boolean'): boolean {
  return value == null || typeof value === type
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// The JSON type names Go's decoder uses in its messages.
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'boolean') return 'bool'
  if (value === null) return 'null'
  return typeof value
}

function reject(status: number, error: string, model: string | null = null): ChatParse {
  return { ok: false, status, error, model }
}
