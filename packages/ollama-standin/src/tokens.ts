// Reply text to tokens, shaped like a chat model's chunks: each word with the whitespace
// before it (`"Hello"`, `" world"`); and a rough prompt size for `prompt_eval_count`.
//
//   splitTokens('Hi there')               // ['Hi', ' there']
//   replyTokens('Hi there', 3).at(2)      // ' Hi'
//
// Joined, the tokens of `splitTokens(text)` are exactly `text`, whitespace included.

const WORD = /\s*\S+/g
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor'

/** Splits text into word tokens that concatenate back to it exactly. */
export function splitTokens(text: string): string[] {
  const tokens = text.match(WORD) ?? []
  const covered = tokens.join('').length
  if (covered < text.length) {
    // Trailing whitespace (or text that is only whitespace) rides on the last token.
    if (tokens.length === 0) return [text]
    tokens[tokens.length - 1] += text.slice(covered)
  }
  return tokens
}

export interface TokenSequence {
  readonly length: number
  at(index: number): string
}

/**
 * The reply's tokens, or exactly `count` of them (cycling the reply, or filler if it is
 * empty). Tokens are made on demand, so a million-token reply costs no memory.
 */
export function replyTokens(reply: string, count: number | null): TokenSequence {
  const tokens = splitTokens(reply)
  if (count === null) return { length: tokens.length, at: (index) => tokens[index] as string }
  const source = tokens.length > 0 ? tokens : splitTokens(FILLER)
  return {
    length: count,
    at(index) {
      const token = source[index % source.length] as string
      // A repeat starts mid-sentence, so it needs the space the first word lacks.
      return index >= source.length && !/^\s/.test(token) ? ' ' + token : token
    }
  }
}

/** A rough prompt size in tokens: words plus a few per message for the chat template. */
export function countPromptTokens(contents: readonly string[]): number {
  let count = 0
  for (const content of contents) count += splitTokens(content).length + 4
  return count
}
