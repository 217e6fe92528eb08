// A minimal streaming Ollama chat client over node:http, for the paths that talk HTTP: the
// stand-in directly, and the holesail tunnel. Every NDJSON line is parsed and its content
// handed on as one chunk, which is what any Ollama client does before drawing it.
//
//   const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
//   const r = await ollamaChat(standin.url, 'Hi', { agent, onChunk: (t, at) => … })
//
// Timestamps are `performance.now()`, the clock every measurement in one process shares.

import http from 'node:http'

export interface ChatTiming {
  firstChunkAt: number
  endAt: number
  chunks: number
  bytes: number
}

export interface OllamaChatOptions {
  agent: http.Agent | false
  model?: string
  onChunk?: (text: string, at: number) => void
}

export function ollamaChat(
  baseUrl: string,
  prompt: string,
  options: OllamaChatOptions
): Promise<ChatTiming> {
  const body = JSON.stringify({
    model: options.model ?? 'llama3.2:latest',
    messages: [{ role: 'user', content: prompt }],
    stream: true
  })
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}/api/chat`,
      {
        method: 'POST',
        agent: options.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume()
          reject(new Error(`HTTP ${res.statusCode}`))
          return
        }
        const timing: ChatTiming = { firstChunkAt: 0, endAt: 0, chunks: 0, bytes: 0 }
        let pending = ''
        let done = false
        res.setEncoding('utf8')
        res.on('data', (data: string) => {
          const at = performance.now()
          pending += data
          let start = 0
          let newline: number
          while ((newline = pending.indexOf('\n', start)) !== -1) {
            const line = pending.slice(start, newline)
            start = newline + 1
            const part = JSON.parse(line) as { message?: { content?: string }; done?: boolean }
            const text = part.message?.content
            if (text) {
              if (timing.chunks === 0) timing.firstChunkAt = at
              timing.chunks++
              timing.bytes += Buffer.byteLength(text)
              options.onChunk?.(text, at)
            }
            if (part.done) done = true
          }
          pending = pending.slice(start)
        })
        res.on('end', () => {
          timing.endAt = performance.now()
          if (done) resolve(timing)
          else reject(new Error('stream ended without a done line'))
        })
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}
