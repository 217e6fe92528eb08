// Path-and-method routing with Gin's answers for everything else: a path nobody serves is a
// plain-text `404 page not found`, a served path with another method `405 method not allowed`.
//
//   await dispatch([ollamaRoutes, controlRoutes], req, res)
//
// Paths match exactly (no trailing-slash redirects, no parameters: the control API takes
// names in the query string).

import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendText } from './http-io.js'

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>

/** Path → method → handler. */
export type Routes = Record<string, Partial<Record<string, Handler>>>

export async function dispatch(
  tables: readonly Routes[],
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in')
  for (const table of tables) {
    if (!Object.hasOwn(table, url.pathname)) continue
    const handler = table[url.pathname]?.[req.method ?? 'GET']
    if (handler) await handler(req, res, url)
    else sendText(res, 405, '405 method not allowed')
    return
  }
  sendText(res, 404, '404 page not found')
}
