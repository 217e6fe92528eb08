// Option parsers shared by the `localllm` subcommands: each turns a typed value into what
// the code needs or fails with a sentence commander prints.

import { InvalidArgumentError } from 'commander'
import { decode as decodeKey } from 'hypercore-id-encoding'
import { parseBootstrap, type Bootstrap } from '@localllm/core'
import { resolveOllamaUrl } from '../ollama-url.js'
import { LOG_LEVELS, type LogLevel } from '../logger.js'

export function bootstrapOption(value: string): Bootstrap {
  const bootstrap = parseBootstrap(value)
  if (!bootstrap)
    throw new InvalidArgumentError('expected host:port[,host:port…], e.g. 127.0.0.1:49737')
  return bootstrap
}

export function ollamaOption(value: string): string {
  const url = resolveOllamaUrl(value)
  if (!url)
    throw new InvalidArgumentError('expected an Ollama address such as http://127.0.0.1:11434')
  return url
}

/** A public key as `localllm relay` prints it: 64 hex characters. */
export function keyOption(value: string): Uint8Array {
  const hex = value.trim().toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new InvalidArgumentError('expected a key: 64 hex characters')
  return Buffer.from(hex, 'hex')
}

export function logLevelOption(value: string): LogLevel {
  if (!(LOG_LEVELS as string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`)
  }
  return value as LogLevel
}

export function portOption(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('expected a port number')
  return port
}

export function positiveIntOption(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1')
  return n
}

/** A relay's public key as `localllm relay` prints it: z-base32 (52 characters) or hex (64). */
export function relayKeyOption(value: string): Uint8Array {
  const text = value.trim()
  if (/^[0-9a-fA-F]{64}$/.test(text) || /^[ybndrfg8ejkmcpqxot1uwisza345h769]{52}$/.test(text)) {
    try {
      return decodeKey(text.toLowerCase())
    } catch {
      // Falls through to the sentence below.
    }
  }
  throw new InvalidArgumentError(
    'expected the public key `localllm relay` prints (52 characters of z-base32, or 64 of hex)'
  )
}
