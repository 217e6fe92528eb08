// The reply shapes Ollama's HTTP server (Go net/http + Gin) uses, and reading a request body.
//
//   sendJson(res, 200, { version: '0.32.15' })   // application/json; charset=utf-8
//   sendError(res, 404, "model 'x' not found")    // {"error":"model 'x' not found"}
//   sendText(res, 404, '404 page not found')      // Gin's plain-text 404 and 405
//
// Node leaves out the body of a HEAD reply by itself, as Go does.

import type { IncomingMessage, ServerResponse } from 'node:http'

export const JSON_TYPE = 'application/json; charset=utf-8'
export const NDJSON_TYPE = 'application/x-ndjson'
const MAX_BODY_BYTES = 32 * 1024 * 1024

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

export function sendError(res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error })
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** The whole body as text; rejects if the client goes away or sends more than 32 MiB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
