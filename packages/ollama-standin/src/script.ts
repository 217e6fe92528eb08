// What the stand-in does for one /api/chat request: the reply, its pace, its delays and the
// failure to inject. Settings are what every request gets; a one-shot script from `enqueue()`
// is laid over them for the next request that generates, and only that one.
//
//   standin.configure({ reply: 'Hi there', tokensPerSecond: 50, loadDelayMs: 200 })
//   standin.enqueue({ failure: { kind: 'error-line', afterTokens: 3, error: 'boom' } })
//
// `parseScript` is the wall for scripts that arrive over the control API or a CLI flag:
// unknown in, a typed script or a sentence saying what is wrong out, never a throw.

export type Failure =
  /** Before the first token: this status and `{"error"}` instead of a stream. */
  | { kind: 'status'; status: number; error: string }
  /** After `afterTokens` tokens: one `{"error"}` line, then the stream ends with no done line. */
  | { kind: 'error-line'; afterTokens: number; error: string }
  /** After `afterTokens` tokens: nothing more is sent, the socket stays open. */
  | { kind: 'stall'; afterTokens: number }
  /** After `afterTokens` tokens: the socket is destroyed. */
  | { kind: 'drop'; afterTokens: number }
  /** After `afterTokens` tokens: the stream ends cleanly but has no done line. */
  | { kind: 'truncate'; afterTokens: number }

export type FailureKind = Failure['kind']

export interface Script {
  /** The reply text; split into word tokens that concatenate back to exactly this. */
  reply?: string
  /** Send this many tokens, repeating (or cutting) the reply's tokens; null: the reply as is. */
  tokens?: number | null
  /** Sent as `message.thinking` chunks before the reply, on models that think. */
  thinking?: string
  /** Pace of the tokens after the first; 0 sends them as fast as the client reads. */
  tokensPerSecond?: number
  /** Cold load: the first request for a model that is not loaded waits this long. */
  loadDelayMs?: number
  /** Every request waits this long for its first token (prompt evaluation). */
  firstTokenDelayMs?: number
  /** `length` ends the reply as if `num_predict` had been reached. */
  doneReason?: 'stop' | 'length'
  /** A failure to inject; null for none. */
  failure?: Failure | null
}

export type Settings = Required<Script>

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  reply: 'Hello! This is the Ollama stand-in answering with a scripted reply.',
  tokens: null,
  thinking: 'The user said hello, so I will greet them back.',
  tokensPerSecond: 0,
  loadDelayMs: 0,
  firstTokenDelayMs: 0,
  doneReason: 'stop',
  failure: null
})

export type ScriptResult = { ok: true; script: Script } | { ok: false; error: string }

const FAILURE_FIELDS: Record<FailureKind, readonly string[]> = {
  status: ['status', 'error'],
  'error-line': ['afterTokens', 'error'],
  stall: ['afterTokens'],
  drop: ['afterTokens'],
  truncate: ['afterTokens']
}

/** Checks a script given as JSON; unknown keys are refused so a typo cannot pass silently. */
export function parseScript(value: unknown): ScriptResult {
  if (!isRecord(value)) return fail('a script must be a JSON object')
  const script: Script = {}
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue // only from code: `{ reply: undefined }` means unset
    switch (key) {
      case 'reply':
      case 'thinking':
        if (typeof field !== 'string') return fail(`${key}: expected a string`)
        script[key] = field
        break
      case 'tokens':
        if (field !== null && !isCount(field)) return fail('tokens: expected a count or null')
        script.tokens = field
        break
      case 'tokensPerSecond':
      case 'loadDelayMs':
      case 'firstTokenDelayMs':
        if (typeof field !== 'number' || !Number.isFinite(field) || field < 0) {
          return fail(`${key}: expected a number >= 0`)
        }
        script[key] = field
        break
      case 'doneReason':
        if (field !== 'stop' && field !== 'length')
          return fail('doneReason: expected stop or length')
        script.doneReason = field
        break
      case 'failure': {
        if (field === null) {
          script.failure = null
          break
        }
        const failure = parseFailure(field)
        if (typeof failure === 'string') return fail(`failure: ${failure}`)
        script.failure = failure
        break
      }
      default:
        return fail(`unknown script field "${key}"`)
    }
  }
  return { ok: true, script }
}

/** `base` with every field `script` sets replaced. */
export function applyScript(base: Readonly<Settings>, script: Script): Settings {
  const merged: Record<string, unknown> = { ...base }
  for (const key of Object.keys(script) as (keyof Script)[]) {
    if (script[key] !== undefined) merged[key] = script[key]
  }
  return merged as unknown as Settings
}

function parseFailure(value: unknown): Failure | string {
  if (!isRecord(value)) return 'expected an object with a kind'
  const kind = value.kind
  if (typeof kind !== 'string' || !Object.hasOwn(FAILURE_FIELDS, kind)) {
    return `kind: expected one of ${Object.keys(FAILURE_FIELDS).join(', ')}`
  }
  const fields = FAILURE_FIELDS[kind as FailureKind]
  const extra = Object.keys(value).find((key) => key !== 'kind' && !fields.includes(key))
  if (extra !== undefined) return `unknown field "${extra}" for kind ${kind}`
  for (const key of fields) {
    const field = value[key]
    if (key === 'error' && (typeof field !== 'string' || field === '')) {
      return 'error: expected a non-empty string'
    }
    if (key === 'afterTokens' && !isCount(field)) return 'afterTokens: expected a count'
    if (key === 'status' && !(isCount(field) && field >= 400 && field <= 599)) {
      return 'status: expected an HTTP error status (400-599)'
    }
  }
  return { ...value } as Failure
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(error: string): ScriptResult {
  return { ok: false, error }
}
