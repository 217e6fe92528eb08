// The prompt's size in UTF-8 bytes against the protocol's limit: the counter warns from
// 90 % of LIMITS.maxPromptBytes and Send is blocked above it.
//
//   promptLimit('héllo')   // { bytes: 6, max: 8192, level: 'ok' }

import { LIMITS } from '@localllm/protocol'

export const WARN_RATIO = 0.9

export type LimitLevel = 'ok' | 'warn' | 'over'

export function utf8ByteLength(text: string): number {
  let bytes = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    // A lone surrogate is encoded as U+FFFD (3 bytes), like TextEncoder does.
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return bytes
}

export function promptLimit(
  text: string,
  max: number = LIMITS.maxPromptBytes
): { bytes: number; max: number; level: LimitLevel } {
  const bytes = utf8ByteLength(text)
  const level = bytes > max ? 'over' : bytes >= max * WARN_RATIO ? 'warn' : 'ok'
  return { bytes, max, level }
}
