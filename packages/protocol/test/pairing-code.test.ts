import test from 'brittle'
import b4a from 'b4a'
import bs58 from 'bs58'
import sodium from 'sodium-universal'
import {
  CONNECT_LINK_PREFIX,
  connectLink,
  formatPairingCode,
  pairingChecksum,
  parsePairingCode
} from '../src/index.js'
import { generateAccessSecret, generateKeySeed } from '../src/capability.js'

const hostKey = generateKeySeed() // any 32 bytes stand in for a public key here
const secret = generateAccessSecret()
const code = formatPairingCode(hostKey, secret)

test('a pairing code round-trips to the host key and the access secret', (t) => {
  const r = parsePairingCode(code)
  t.ok(r.ok)
  if (r.ok) {
    t.alike(Array.from(r.hostKey), Array.from(hostKey))
    t.alike(Array.from(r.secret), Array.from(secret))
    t.is(r.code, code)
  }
  t.ok(code.length >= 66 && code.length <= 72, `${code.length} characters`)
})

test('the code matches an independent test vector (Python hashlib.blake2b and base58)', (t) => {
  // host key = bytes 0x01…0x20, access secret = bytes 0xa0…0xaf. Computed outside this code:
  // a change here would strand every host's code and every paired phone.
  const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1)
  const access = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)
  t.is(
    b4a.toString(pairingChecksum(b4a.concat([key, access])), 'hex'),
    '841e7d89',
    'checksum = blake2b(key ‖ secret, digest_size=32, key="localllm/pairing-code/v2")[:4]'
  )
  t.is(
    formatPairingCode(key, access),
    'F2qCYbfhLPoiVme2x1F5AKpQUsvhcJFWW49jWFEtajAWFhJFSSUtjxCibrdMb2s6kBtAsz'
  )
})

test('the pure-JS checksum equals sodium BLAKE2b-256 (what a native implementation would use)', (t) => {
  for (let i = 0; i < 20; i++) {
    const body = b4a.concat([generateKeySeed(), generateAccessSecret()])
    const full = b4a.alloc(32)
    sodium.crypto_generichash(full, body, b4a.from('localllm/pairing-code/v2'))
    t.alike(Array.from(pairingChecksum(body)), Array.from(full.subarray(0, 4)))
  }
})

test('pasted codes with whitespace and QR links are accepted', (t) => {
  for (const input of [
    `  ${code}\n`,
    `\t${code} `,
    connectLink(code),
    `${CONNECT_LINK_PREFIX}${code}/`,
    ` LocalLLM://Connect/${code} `
  ]) {
    const r = parsePairingCode(input)
    t.ok(r.ok && r.code === code, JSON.stringify(input))
  }
})

test('a typo anywhere is INVALID_SERVER_ID, caught by the checksum', (t) => {
  let caught = 0
  for (let i = 0; i < code.length; i++) {
    const c = code[i] === 'z' ? 'y' : 'z'
    const typo = code.slice(0, i) + c + code.slice(i + 1)
    const r = parsePairingCode(typo)
    if (!r.ok && r.error.code === 'INVALID_SERVER_ID') caught++
  }
  t.is(caught, code.length, 'every one-character change')
  const swapped = code.slice(0, 10) + code[11] + code[10] + code.slice(12)
  if (swapped !== code) t.absent(parsePairingCode(swapped).ok, 'two neighbours swapped')
})

test('anything else is INVALID_SERVER_ID with a reason', (t) => {
  const v1ServerId = bs58.encode(new Uint8Array(32).fill(7))
  const cases: unknown[] = [
    '',
    '   ',
    code.slice(0, -1) + '0', // 0 is not base58
    code.slice(0, -1),
    code + 'x'.repeat(10),
    v1ServerId,
    'localllm://connect/',
    `https://example.com/${code}`,
    42,
    null,
    undefined
  ]
  for (const input of cases) {
    const r = parsePairingCode(input)
    t.is(r.ok, false, JSON.stringify(input) ?? 'undefined')
    if (!r.ok) {
      t.is(r.error.code, 'INVALID_SERVER_ID')
      t.ok(r.error.detail, r.error.detail)
    }
  }
  const old = parsePairingCode(v1ServerId)
  if (!old.ok) t.ok(old.error.detail?.includes('older LocalLLM host'), 'says why a v1 ID fails')
})

test('formatting refuses wrong sizes (a programmer error)', (t) => {
  t.exception.all(() => formatPairingCode(new Uint8Array(31), secret))
  t.exception.all(() => formatPairingCode(hostKey, new Uint8Array(32)))
})
