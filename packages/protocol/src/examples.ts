// One valid example of every wire message. docs/spec.md shows these lines, the tests check
// each one validates, and the fuzzer mutates them; so the documented examples cannot drift
// from what the validators accept.

import type { Message, MessageType } from './messages.js'
import { LIMITS, PROTOCOL_VERSION } from './limits.js'
import { ERROR_INFO } from './errors.js'

const PROOF = '5f1d3c0b8a7e6d5c4b3a29180f0e0d0c0b0a09080706050403020100ffeeddcc'

export const EXAMPLES = {
  hello: {
    type: 'hello',
    payload: {
      protocol_version: PROTOCOL_VERSION,
      proof: PROOF,
      client: { name: 'LocalLLM iOS', platform: 'ios', version: '0.1.0' }
    }
  },
  server_info: {
    type: 'server_info',
    payload: {
      host_name: 'Dan’s MacBook',
      model: 'llama3.2:latest',
      status: 'ready',
      protocol_version: PROTOCOL_VERSION,
      limits: {
        max_prompt_bytes: LIMITS.maxPromptBytes,
        max_clients: LIMITS.maxClients,
        response_timeout_ms: LIMITS.responseTimeoutMs,
        max_reply_tokens: 4096,
        max_reply_ms: 300_000
      }
    }
  },
  chat_start: {
    type: 'chat_start',
    request_id: 'req-123',
    payload: {
      prompt: 'And in one sentence?',
      history: [
        { role: 'user', content: 'Explain quantum computing simply' },
        {
          role: 'assistant',
          content: 'Quantum computers use qubits, which can be 0 and 1 at once…'
        }
      ]
    }
  },
  chat_status: { type: 'chat_status', request_id: 'req-123', payload: { state: 'loading_model' } },
  chat_chunk: {
    type: 'chat_chunk',
    request_id: 'req-123',
    payload: { text: 'Quantum computing uses qubits' }
  },
  chat_end: {
    type: 'chat_end',
    request_id: 'req-123',
    payload: {
      finish_reason: 'stop',
      stats: {
        prompt_tokens: 26,
        completion_tokens: 282,
        first_token_ms: 412,
        total_ms: 4884,
        tokens_per_second: 62.2
      }
    }
  },
  abort: { type: 'abort', request_id: 'req-123' },
  error: {
    type: 'error',
    request_id: 'req-123',
    payload: {
      code: 'MODEL_BUSY',
      message: ERROR_INFO.MODEL_BUSY.message,
      retryable: ERROR_INFO.MODEL_BUSY.retryable
    }
  }
} as const satisfies { [T in MessageType]: Extract<Message, { type: T }> }
