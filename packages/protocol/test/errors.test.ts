import test from 'brittle'
import {
  ERROR_CODES,
  ERROR_INFO,
  errorMessage,
  isErrorCode,
  parseClientBound,
  parseHostBound,
  protocolError
} from '../src/index.js'

const ORIGINAL_CODES = [
  'INVALID_SERVER_ID',
  'CONNECT_FAILED',
  'HOST_OFFLINE',
  'HOST_DISCONNECTED',
  'OLLAMA_NOT_FOUND',
  'OLLAMA_MODEL_NOT_AVAILABLE',
  'MODEL_BUSY',
  'GENERATION_FAILED',
  'GENERATION_ABORTED',
  'BAD_MESSAGE',
  'UNSUPPORTED_VERSION',
  'TIMEOUT_NO_RESPONSE'
]

// Added to the twelve the protocol started with: HOST_FULL (v1), and v2's device, reachability
// and fair-use codes.
const ADDED_CODES = ['HOST_FULL', 'DEVICE_REMOVED', 'HOST_UNREACHABLE', 'TOO_MANY_REQUESTS']

test('every original error code exists, plus the added ones, and nothing else', (t) => {
  t.alike([...ERROR_CODES].sort(), [...ORIGINAL_CODES, ...ADDED_CODES].sort())
})

test('every error code has a sentence a phone can show and a retryable flag', (t) => {
  for (const code of ERROR_CODES) {
    const info = ERROR_INFO[code]
    t.is(typeof info.retryable, 'boolean', `${code} retryable`)
    t.ok(/^[A-Z].{15,}[.…]$/.test(info.message), `${code} reads as a sentence: ${info.message}`)
    t.absent(/[A-Z]{2,}_[A-Z]/.test(info.message), `${code} sentence has no code names in it`)
  }
})

test('retry makes sense exactly for the transient failures', (t) => {
  const retryable = ERROR_CODES.filter((code) => ERROR_INFO[code].retryable).sort()
  t.alike(retryable, [
    'CONNECT_FAILED',
    'GENERATION_FAILED',
    'HOST_DISCONNECTED',
    'HOST_FULL',
    'HOST_OFFLINE',
    'HOST_UNREACHABLE',
    'MODEL_BUSY',
    'OLLAMA_NOT_FOUND',
    'TIMEOUT_NO_RESPONSE',
    'TOO_MANY_REQUESTS'
  ])
})

test('protocolError carries code, sentence, flag, request_id and detail', (t) => {
  const err = protocolError('MODEL_BUSY', { request_id: 'r1', detail: 'gate held by r0' })
  t.alike(err, {
    code: 'MODEL_BUSY',
    message: ERROR_INFO.MODEL_BUSY.message,
    retryable: true,
    request_id: 'r1',
    detail: 'gate held by r0'
  })
  t.absent('request_id' in protocolError('HOST_FULL'), 'no request_id when none is given')
})

test('every error code survives the wire in both directions', (t) => {
  for (const code of ERROR_CODES) {
    const msg = errorMessage(protocolError(code, { request_id: 'req-9' }))
    const toClient = parseClientBound(JSON.parse(JSON.stringify(msg)))
    const toHost = parseHostBound(JSON.parse(JSON.stringify(msg)))
    t.ok(toClient.ok && toClient.message.type === 'error' && toClient.message.payload.code === code)
    t.ok(toHost.ok && toHost.message.type === 'error' && toHost.message.request_id === 'req-9')
  }
})

test('an unknown error code from a peer is BAD_MESSAGE, not a crash', (t) => {
  const r = parseClientBound({
    type: 'error',
    payload: { code: 'NOPE', message: 'x', retryable: false }
  })
  t.is(r.ok, false)
  if (!r.ok) t.is(r.error.code, 'BAD_MESSAGE')
  t.is(isErrorCode('NOPE'), false)
  t.is(isErrorCode('toString'), false, 'prototype keys are not codes')
})
