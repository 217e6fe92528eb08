import test from 'brittle'
import bs58 from 'bs58'
import { CONNECT_LINK_PREFIX, connectLink, formatServerId, parseServerId } from '../src/index.js'
import { generateSecret } from '../src/capability.js'

const secret = generateSecret()
const id = formatServerId(secret)

test('a Server ID round-trips to the same 32-byte secret', (t) => {
  const r = parseServerId(id)
  t.ok(r.ok)
  if (r.ok) {
    t.alike(Array.from(r.secret), Array.from(secret))
    t.is(r.serverId, id)
  }
  t.ok(id.length >= 32 && id.length <= 44, `${id.length} characters`)
})

test('pasted IDs with whitespace and QR links are accepted', (t) => {
  for (const input of [
    `  ${id}\n`,
    `\t${id} `,
    connectLink(id),
    `${CONNECT_LINK_PREFIX}${id}/`,
    ` LocalLLM://Connect/${id} `
  ]) {
    const r = parseServerId(input)
    t.ok(r.ok && r.serverId === id, JSON.stringify(input))
  }
})

test('anything else is INVALID_SERVER_ID with a reason', (t) => {
  const wrongLength = [
    bs58.encode(new Uint8Array(31).fill(7)),
    bs58.encode(new Uint8Array(33).fill(7))
  ]
  const cases: unknown[] = [
    '',
    '   ',
    id.slice(0, -1) + '0', // 0 is not base58
    id.replace(/^./, 'l'), // nor is l
    `${id} ${id}`,
    id + id,
    ...wrongLength,
    'https://example.com/' + id,
    CONNECT_LINK_PREFIX,
    `localllm://join/${id}`,
    42,
    null,
    undefined,
    'x'.repeat(100_000)
  ]
  for (const input of cases) {
    const r = parseServerId(input)
    t.is(r.ok, false, String(input).slice(0, 60))
    if (!r.ok) {
      t.is(r.error.code, 'INVALID_SERVER_ID')
      t.ok(r.error.detail)
    }
  }
})

test('formatting a secret that is not 32 bytes is a programmer error', (t) => {
  t.exception.all(() => formatServerId(new Uint8Array(16)), /32 bytes/)
})
