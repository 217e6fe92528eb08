// Writes the generated parts of docs/spec.md from the protocol package itself: the message
// table (from the valibot schemas), one example line per message (EXAMPLES), the error table
// (ERROR_INFO) and the limits (LIMITS). Run by `npm run docs`; `--check` (part of
// `npm run lint`) fails when docs/spec.md is out of date, so the doc cannot drift.

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
  LIMIT_NOTES
} from '../packages/protocol/dist/src/index.js'

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
