// Writes the generated parts of docs/spec.md from the protocol package itself: the message
// table (from the valibot schemas), one example line per message (EXAMPLES), the example
// exchanges (SESSIONS below: built with the protocol's own error sentences and decoder, and
// each line validated for its direction), the error table (ERROR_INFO) and the limits
// (LIMITS), and the worklet IPC tables. Run by `npm run docs`; `--check` (part of
// `npm run lint`) fails when docs/spec.md is out of date, so the doc cannot drift.

import { Buffer } from 'node:buffer'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import {
  CLIENT_BOUND_SCHEMAS,
  ERROR_CODES,
  ERROR_INFO,
  EXAMPLES,
  HOST_BOUND_SCHEMAS,
  LIMITS,
  LIMIT_NOTES,
  MessageDecoder,
  PROTOCOL_VERSION,
  errorMessage,
  parseClientBound,
  parseHostBound,
  protocolError
} from '../packages/protocol/dist/src/index.js'
import { pairingProof } from '../packages/protocol/dist/src/capability.js'

import { CommandSchema, EventSchema } from '../apps/client/worklet/dist/src/ipc.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const specPath = join(root, 'docs/spec.md')

function describe(schema) {
  const optional = schema.type === 'optional'
  const inner = optional ? schema.wrapped : schema
  let text
  switch (inner.type) {
    case 'literal':
      text = JSON.stringify(inner.literal)
      break
    case 'picklist':
      text = inner.options.map((o) => `\`${o}\``).join(' / ')
      break
    case 'object':
      text = '{ ' + Object.keys(inner.entries).join(', ') + ' }'
      break
    case 'array':
      text =
        inner.item.type === 'object'
          ? `array of { ${Object.keys(inner.item.entries).join(', ')} }`
          : `array of ${inner.item.expects}`
      break
    default:
      text = inner.expects
  }
  const rules = (inner.pipe ?? []).slice(1).map((action) => {
    switch (action.type) {
      case 'min_length':
        return inner.type === 'array'
          ? `≥ ${action.requirement} items`
          : `≥ ${action.requirement} chars`
      case 'max_length':
        return inner.type === 'array'
          ? `≤ ${action.requirement} items`
          : `≤ ${action.requirement} chars`
      case 'min_value':
        return `≥ ${action.requirement}`
      case 'integer':
      case 'safe_integer':
        return 'integer'
      case 'finite':
        return 'finite'
      case 'regex':
        return `matches \`${action.requirement.source}\``
      case 'check':
        return action.message.replace(/^Invalid \w+: Expected /, '')
      default:
        return action.type
    }
  })
  return { text: [text, ...rules].join(', '), optional }
}

function fieldRows(entries, prefix = '') {
  const rows = []
  for (const [key, schema] of Object.entries(entries)) {
    const { text, optional } = describe(schema)
    const name = `${prefix}${key}${optional ? '?' : ''}`
    rows.push(`\`${name}\`: ${text}`)
    const inner = schema.type === 'optional' ? schema.wrapped : schema
    if (inner.type === 'object') rows.push(...fieldRows(inner.entries, `${prefix}${key}.`))
    if (inner.type === 'array' && inner.item.type === 'object') {
      rows.push(...fieldRows(inner.item.entries, `${prefix}${key}[].`))
    }
  }
  return rows
}

/** Rules on a whole object (a `v.check` over several fields), in words. */
function objectRules(schema) {
  return (schema.pipe ?? [])
    .filter((action) => action.type === 'check')
    .map((action) => `(${action.message.replace(/^Invalid \w+: Expected /, '')})`)
}

function messageTable() {
  const lines = ['| type | direction | request_id | payload |', '| --- | --- | --- | --- |']
  const seen = new Set()
  const add = (type, schema) => {
    if (seen.has(type)) return
    seen.add(type)
    const host = type in HOST_BOUND_SCHEMAS
    const client = type in CLIENT_BOUND_SCHEMAS
    const direction = host && client ? 'either' : host ? 'client → host' : 'host → client'
    const rid = schema.entries.request_id
    const requestId = !rid ? '—' : rid.type === 'optional' ? 'optional' : 'required'
    const payload = schema.entries.payload
    const fields = payload
      ? [...fieldRows(payload.entries), ...objectRules(payload)].join('<br>')
      : '—'
    lines.push(`| \`${type}\` | ${direction} | ${requestId} | ${fields} |`)
  }
  for (const [type, schema] of Object.entries(HOST_BOUND_SCHEMAS)) add(type, schema)
  for (const [type, schema] of Object.entries(CLIENT_BOUND_SCHEMAS)) add(type, schema)
  return lines.join('\n')
}

/** A table of a valibot variant: one row per option, its fields listed. */
function variantTable(schema, key, heading) {
  const lines = [`| ${heading} | fields |`, '| --- | --- |']
  for (const option of schema.options) {
    const { [key]: tag, ...entries } = option.entries
    const fields = Object.keys(entries).length ? fieldRows(entries).join('<br>') : '—'
    lines.push(`| \`${tag.literal}\` | ${fields} |`)
  }
  return lines.join('\n')
}

function examples() {
  return (
    Object.entries(EXAMPLES)
      // `ndjson`, not `json`: prettier would spread a json block over many lines, and on the
      // wire each message is one line.
      .map(([type, message]) => `\`${type}\`\n\n\`\`\`ndjson\n${JSON.stringify(message)}\n\`\`\``)
      .join('\n\n')
  )
}

// Example exchanges, one wire line each: `→` client to host, `←` host to client. The hello's
// proof is docs/spec.md's second proof test vector (secret a0…af, handshake hash 64 × 01).
const VECTOR_SECRET = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)
const VECTOR_HANDSHAKE_HASH = new Uint8Array(64).fill(1)
const RELAY_KEY = '7f3a9c2e5b8d1f4a6c0e3b7d9f2a5c8e1b4d7f0a3c6e9b2d5f8a1c4e7b0d3f6a'
const LIMITS_SENT = EXAMPLES.server_info.payload.limits

function info(status, extra = {}) {
  return {
    type: 'server_info',
    payload: {
      host_name: 'Dan’s MacBook',
      model: 'qwen3:8b',
      status,
      ...(extra.reason ? { reason: extra.reason } : {}),
      protocol_version: PROTOCOL_VERSION,
      limits: LIMITS_SENT,
      ...(extra.relay ? { relay: extra.relay } : {})
    }
  }
}

const error = (code, fields = {}) => errorMessage(protocolError(code, fields))

/** What the host answers to `line` from a client: the decoder's own error. */
function refusalOf(line) {
  const [result] = MessageDecoder.forHost().push(Buffer.from(line + '\n'))
  if (!result || result.ok) throw new Error(`expected the decoder to refuse: ${line}`)
  return errorMessage(result.error)
}

const stats = (completion, total) => ({
  prompt_tokens: 31,
  completion_tokens: completion,
  first_token_ms: 1840,
  total_ms: total,
  tokens_per_second: 58.4
})

// Lines a client may get wrong, shown as sent (the decoder must refuse each one).
const BAD_PROMPT = '{"type":"chat_start","request_id":"k3x9q1-5","payload":{"prompt":""}}'
const BAD_JSON = '{"type":"chat_start","request_id":"k3x9q1-6","payload":{"prompt":"Hi"}'
const OTHER_VERSION = '{"type":"hello","payload":{"protocol_version":3,"proof":"00"}}'

const SESSIONS = [
  {
    caption:
      'A new device pairs and asks a thinking model. The host tells every connected device, this one included, when it turns `busy` and `ready` again; `ready` comes just before the `chat_end`. `chat_status` comes every `chatStatusIntervalMs` while Ollama has produced nothing yet (a model loading).',
    lines: [
      [
        '→',
        {
          type: 'hello',
          payload: {
            protocol_version: PROTOCOL_VERSION,
            proof: pairingProof(VECTOR_SECRET, VECTOR_HANDSHAKE_HASH),
            client: { name: 'Ana’s iPhone', platform: 'ios', version: '0.2.0' }
          }
        }
      ],
      ['←', info('ready')],
      [
        '→',
        { type: 'chat_start', request_id: 'k3x9q1-1', payload: { prompt: 'Why is the sky blue?' } }
      ],
      ['←', info('busy')],
      ['←', { type: 'chat_status', request_id: 'k3x9q1-1', payload: { state: 'loading_model' } }],
      [
        '←',
        {
          type: 'chat_chunk',
          request_id: 'k3x9q1-1',
          payload: { thinking: 'Rayleigh scattering: shorter wavelengths scatter more.' }
        }
      ],
      [
        '←',
        {
          type: 'chat_chunk',
          request_id: 'k3x9q1-1',
          payload: { text: 'Sunlight scatters off the molecules of the air,' }
        }
      ],
      [
        '←',
        {
          type: 'chat_chunk',
          request_id: 'k3x9q1-1',
          payload: { text: ' and blue light scatters the most.' }
        }
      ],
      ['←', info('ready')],
      [
        '←',
        {
          type: 'chat_end',
          request_id: 'k3x9q1-1',
          payload: { finish_reason: 'stop', stats: stats(21, 12412) }
        }
      ]
    ]
  },
  {
    caption:
      'The next turn carries the conversation so far (never the reasoning). Stopped with `abort`: the host cancels Ollama, frees the gate, then answers `GENERATION_ABORTED`.',
    lines: [
      [
        '→',
        {
          type: 'chat_start',
          request_id: 'k3x9q1-2',
          payload: {
            prompt: 'And at sunset?',
            history: [
              { role: 'user', content: 'Why is the sky blue?' },
              {
                role: 'assistant',
                content:
                  'Sunlight scatters off the molecules of the air, and blue light scatters the most.'
              }
            ]
          }
        }
      ],
      ['←', info('busy')],
      [
        '←',
        { type: 'chat_chunk', request_id: 'k3x9q1-2', payload: { text: 'At sunset the light' } }
      ],
      ['→', { type: 'abort', request_id: 'k3x9q1-2' }],
      ['←', info('ready')],
      ['←', error('GENERATION_ABORTED', { request_id: 'k3x9q1-2' })]
    ]
  },
  {
    caption: 'A reply cut at the reply cap ends like any other, with `finish_reason: "length"`.',
    lines: [
      [
        '←',
        {
          type: 'chat_end',
          request_id: 'k3x9q1-3',
          payload: { finish_reason: 'length', stats: stats(4096, 71873) }
        }
      ]
    ]
  },
  {
    caption:
      'While another device is answered, a `chat_start` gets `MODEL_BUSY`. A device whose reply just ended while another one was turned away gets it too, for `turnGraceMs`, with a `detail`. After `maxRefusedStarts` refusals in `refusedStartWindowMs` a device cools down.',
    lines: [
      ['→', { type: 'chat_start', request_id: 'p7m2-1', payload: { prompt: 'Hello?' } }],
      ['←', error('MODEL_BUSY', { request_id: 'p7m2-1' })],
      [
        '←',
        error('MODEL_BUSY', {
          request_id: 'k3x9q1-4',
          detail: 'another device is waiting for its turn'
        })
      ],
      ['←', error('TOO_MANY_REQUESTS', { request_id: 'p7m2-11', detail: 'try again in 8 s' })]
    ]
  },
  {
    caption:
      "Bad requests. A field that fails its schema is named in `detail`; the `request_id` is still read when it can be. A `chat_start` whose `request_id` is still running is refused **without** a `request_id`, so it cannot be taken for that request's end.",
    lines: [
      ['→', BAD_PROMPT],
      ['←', refusalOf(BAD_PROMPT)],
      ['→', BAD_JSON],
      ['←', refusalOf(BAD_JSON)],
      [
        '←',
        error('BAD_MESSAGE', {
          detail: 'request_id "k3x9q1-7" is already in use by an active request'
        })
      ]
    ]
  },
  {
    caption:
      'The host, on the connection (no `request_id`): a host with a blind relay names it in every `server_info`; it cannot answer now (and why); a removed device, an idle device making room, or another protocol version, each followed by the host closing the connection; the host stopping.',
    lines: [
      ['←', info('ready', { relay: RELAY_KEY })],
      ['←', info('unavailable', { reason: 'model_missing' })],
      ['←', error('DEVICE_REMOVED')],
      [
        '←',
        error('HOST_FULL', {
          detail: 'disconnected after 73 s idle to make room for another device'
        })
      ],
      ['←', refusalOf(OTHER_VERSION)],
      ['←', info('stopped')]
    ]
  }
]

function sessions() {
  return SESSIONS.map(({ caption, lines }) => {
    const text = lines.map(([direction, message]) => {
      // A raw line: a client's mistake, refused by the host's decoder (refusalOf checks).
      if (typeof message === 'string') {
        refusalOf(message)
        return `${direction} ${message}`
      }
      const parsed = direction === '→' ? parseHostBound(message) : parseClientBound(message)
      if (!parsed.ok) {
        throw new Error(`example ${message.type} is invalid: ${parsed.error.detail ?? ''}`)
      }
      return `${direction} ${JSON.stringify(message)}`
    })
    return `${caption}\n\n\`\`\`text\n${text.join('\n')}\n\`\`\``
  }).join('\n\n')
}

function errorTable() {
  const lines = [
    '| code | raised by | when | retryable | what the user sees |',
    '| --- | --- | --- | --- | --- |'
  ]
  for (const code of ERROR_CODES) {
    const info = ERROR_INFO[code]
    const retry = info.retryable ? 'yes' : 'no'
    lines.push(`| \`${code}\` | ${info.raisedBy} | ${info.when} | ${retry} | ${info.message} |`)
  }
  return lines.join('\n')
}

function limitsTable() {
  const lines = ['| limit | value | what it bounds |', '| --- | --- | --- |']
  for (const [name, value] of Object.entries(LIMITS)) {
    lines.push(`| \`${name}\` | ${value} | ${LIMIT_NOTES[name]} |`)
  }
  return lines.join('\n')
}

const SECTIONS = {
  messages: messageTable,
  examples,
  sessions,
  errors: errorTable,
  limits: limitsTable,
  'ipc-commands': () => variantTable(CommandSchema, 'cmd', 'command'),
  'ipc-events': () => variantTable(EventSchema, 'event', 'event')
}

const current = readFileSync(specPath, 'utf8')
let next = current
for (const [name, render] of Object.entries(SECTIONS)) {
  const pattern = new RegExp(`(<!-- gen:${name} -->)[\\s\\S]*?(<!-- /gen:${name} -->)`)
  if (!pattern.test(next)) {
    console.error(`docs/spec.md has no <!-- gen:${name} --> … <!-- /gen:${name} --> block`)
    process.exit(1)
  }
  next = next.replace(pattern, (_, open, close) => `${open}\n\n${render()}\n\n${close}`)
}

// Formatted as `prettier --check` wants it, so lint and this check agree.
next = await prettier.format(next, {
  ...(await prettier.resolveConfig(specPath)),
  filepath: specPath
})

if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/spec.md is out of date with packages/protocol: run `npm run docs`.')
    process.exit(1)
  }
  console.log('docs/spec.md matches packages/protocol')
} else {
  writeFileSync(specPath, next)
  console.log('docs/spec.md written')
}
