// What the stand-in does for one /api/chat request: the reply, its pace, its delays and the
// failure to inject. Settings are what every request gets; a one-shot script from `enqueue()`
// is laid over them for the next request that generates, and only that one.
//
//   standin.configure({ reply: 'Hi there', tokensPerSecond: 50, loadDelayMs: 200 })
//   standin.enqueue({ failure: { kind: 'error-line', afterTokens: 3, error: 'boom' } })
//
// `parseScript` (valibot schemas, strict: an unknown key is refused so a typo cannot pass
// silently) is the wall for scripts that arrive over the control API or a CLI flag: unknown
// in, a typed script or a sentence saying what is wrong out, never a throw.

import * as v from 'valibot'

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0))
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0))
const message = v.pipe(v.string(), v.minLength(1))

const FailureSchema = v.variant('kind', [
  /** Before the first token: this status and `{"error"}` instead of a stream. */
  v.strictObject({
    kind: v.literal('status'),
    status: v.pipe(count, v.minValue(400), v.maxValue(599)),
    error: message
  }),
  /** After `afterTokens` tokens: one `{"error"}` line, then the stream ends with no done line. */
  v.strictObject({ kind: v.literal('error-line'), afterTokens: count, error: message }),
  /** After `afterTokens` tokens: nothing more is sent, the socket stays open. */
  v.strictObject({ kind: v.literal('stall'), afterTokens: count }),
  /** After `afterTokens` tokens: the socket is destroyed. */
  v.strictObject({ kind: v.literal('drop'), afterTokens: count }),
  /** After `afterTokens` tokens: the stream ends cleanly but has no done line. */
  v.strictObject({ kind: v.literal('truncate'), afterTokens: count }),
  /**
   * Hostile: after `afterTokens` tokens, one line that never ends (64 KiB writes of a JSON
   * string with no newline, as fast as the client reads) until the client goes away.
   */
  v.strictObject({ kind: v.literal('endless-line'), afterTokens: count })
])

const ScriptSchema = v.strictObject({
  /** The reply text; split into word tokens that concatenate back to exactly this. */
  reply: v.optional(v.string()),
  /** Send this many tokens, repeating (or cutting) the reply's tokens; null: the reply as is. */
  tokens: v.optional(v.nullable(count)),
  /** Sent as `message.thinking` chunks before the reply, on models that think. */
  thinking: v.optional(v.string()),
  /** Pace of the tokens after the first; 0 sends them as fast as the client reads. */
  tokensPerSecond: v.optional(nonNegative),
  /** Cold load: the first request for a model that is not loaded waits this long. */
  loadDelayMs: v.optional(nonNegative),
  /** Every request waits this long for its first token (prompt evaluation). */
  firstTokenDelayMs: v.optional(nonNegative),
  /** `length` ends the reply as if `num_predict` had been reached. */
  doneReason: v.optional(v.picklist(['stop', 'length'])),
  /** Hostile: a model that runs past `options.num_predict` (the host's own cap must stop it). */
  ignoreNumPredict: v.optional(v.boolean()),
  /** A failure to inject; null for none. */
  failure: v.optional(v.nullable(FailureSchema))
})

export type Failure = v.InferOutput<typeof FailureSchema>
export type FailureKind = Failure['kind']
export type Script = v.InferOutput<typeof ScriptSchema>
export type Settings = { [K in keyof Script]-?: Exclude<Script[K], undefined> }

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  reply: 'Hello! This is the Ollama stand-in answering with a scripted reply.',
  tokens: null,
  thinking: 'The user said hello, so I will greet them back.',
  tokensPerSecond: 0,
  loadDelayMs: 0,
  firstTokenDelayMs: 0,
  doneReason: 'stop',
  ignoreNumPredict: false,
  failure: null
})

export type ScriptResult = { ok: true; script: Script } | { ok: false; error: string }

/** Checks a script given as JSON; unknown keys are refused so a typo cannot pass silently. */
export function parseScript(value: unknown): ScriptResult {
  const result = v.safeParse(ScriptSchema, value, { abortEarly: true })
  if (result.success) return { ok: true, script: result.output }
  const issue = result.issues[0]
  const path = issue.path?.map((item) => String(item.key)).join('.')
  return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message }
}

/** `base` with every field `script` sets replaced. */
export function applyScript(base: Readonly<Settings>, script: Script): Settings {
  const merged: Record<string, unknown> = { ...base }
  for (const key of Object.keys(script) as (keyof Script)[]) {
    if (script[key] !== undefined) merged[key] = script[key]
  }
  return merged as Settings
}
