// Shared test fixtures: a stand-in that closes itself at teardown, and raw HTTP helpers for
// what the `ollama` client hides (headers timing, exact lines, content types).
//
//   const standin = await startStandin(t, { reply: 'Hi there' })
//   const res = await postChat(standin, { stream: true })
//   const lines = await readLines(res)

import { OllamaStandin, type StandinOptions } from '../../src/index.js'

export type Line = Record<string, unknown>

/** The part of brittle's test object the helpers use (@types/brittle does not export it). */
export interface Teardown {
  teardown(fn: () => unknown): void
}

export async function startStandin(
  t: Teardown,
  options: StandinOptions = {}
): Promise<OllamaStandin> {
  const standin = new OllamaStandin({ port: 0, ...options })
  await standin.ready()
  t.teardown(() => standin.close())
  return standin
}

/** A chat body for llama3.2 with one user message; fields in `overrides` replace defaults. */
export function chatBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'llama3.2',
    messages: [{ role: 'user', content: 'Hello there' }],
    ...overrides
  }
}

export function postChat(
  standin: OllamaStandin,
  overrides: Record<string, unknown> = {},
  init: RequestInit = {}
): Promise<Response> {
  return post(standin, '/api/chat', chatBody(overrides), init)
}

export function post(
  standin: OllamaStandin,
  path: string,
  body: unknown,
  init: RequestInit = {}
): Promise<Response> {
  return fetch(standin.url + path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init
  })
}

/** Every NDJSON line of a response body, parsed. */
export async function readLines(res: Response): Promise<Line[]> {
  const text = await res.text()
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Line)
}

/** Reads lines as they arrive; stops (and returns them) once `stop(lines)` is true. */
export async function readUntil(res: Response, stop: (lines: Line[]) => boolean): Promise<Line[]> {
  const lines: Line[] = []
  let pending = ''
  const decoder = new TextDecoder()
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  while (!stop(lines)) {
    const { done, value } = await reader.read()
    if (done) break
    pending += decoder.decode(value, { stream: true })
    const parts = pending.split('\n')
    pending = parts.pop() ?? ''
    for (const part of parts) if (part !== '') lines.push(JSON.parse(part) as Line)
  }
  reader.releaseLock()
  return lines
}

/** The streamed reply text: every line's `message.content`, joined. */
export function contentOf(lines: readonly Line[]): string {
  return lines
    .map((line) => (line.message as { content?: string } | undefined)?.content ?? '')
    .join('')
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
