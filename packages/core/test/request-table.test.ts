import test from 'brittle'
import { EXAMPLES, protocolError } from '@localllm/protocol'
import { ChatRequest } from '../src/chat-request.js'
import { RequestTable } from '../src/request-table.js'

const request = (id: string) => new ChatRequest(id, 'hi', () => {})

test('messages reach their own request and nothing else', async (t) => {
  const table = new RequestTable()
  const a = request('a')
  const b = request('b')
  table.add(a)
  table.add(b)
  t.ok(table.route({ type: 'chat_chunk', request_id: 'a', payload: { text: 'for a' } }))
  t.ok(table.route({ type: 'chat_chunk', request_id: 'b', payload: { thinking: 'b thinks' } }))
  t.absent(table.route({ type: 'chat_chunk', request_id: 'zz', payload: { text: 'nobody' } }))
  t.absent(table.route(EXAMPLES.server_info), 'server_info is not a request message')
  t.ok(table.route({ ...EXAMPLES.chat_end, request_id: 'a' }))
  t.ok(
    table.route({
      type: 'error',
      request_id: 'b',
      payload: { code: 'MODEL_BUSY', message: 'busy', retryable: true }
    })
  )
  const [ra, rb] = await Promise.all([a.result, b.result])
  t.ok(ra.ok && ra.text === 'for a')
  t.ok(!rb.ok && rb.error.code === 'MODEL_BUSY' && rb.thinking === 'b thinks')
  t.is(table.size, 0, 'finished requests leave the table')
  t.absent(table.route({ ...EXAMPLES.chat_end, request_id: 'a' }), 'a second end is not routed')
})

test('a request that hears nothing times out and the session is told to abort it', async (t) => {
  const aborted: string[] = []
  const table = new RequestTable({ responseTimeoutMs: 80, timedOut: (id) => aborted.push(id) })
  const quiet = request('quiet')
  const chatty = request('chatty')
  table.add(quiet)
  table.add(chatty)
  const keepAlive = setInterval(
    () =>
      table.route({
        type: 'chat_status',
        request_id: 'chatty',
        payload: { state: 'loading_model' }
      }),
    20
  )
  const result = await quiet.result
  t.ok(!result.ok && result.error.code === 'TIMEOUT_NO_RESPONSE')
  t.alike(aborted, ['quiet'])
  // A later event, not a pause: another quiet request times out one whole timeout later; by
  // then chatty, added with the first, has lived through two timeouts on chat_status alone.
  const later = request('later')
  table.add(later)
  t.absent((await later.result).ok, 'the later quiet request timed out')
  t.alike(aborted, ['quiet', 'later'])
  t.absent(chatty.done, 'chat_status keeps a slow request alive')
  clearInterval(keepAlive)
  table.failAll(protocolError('HOST_DISCONNECTED'))
  const last = await chatty.result
  t.ok(!last.ok && last.error.code === 'HOST_DISCONNECTED')
})

test('paused, no request times out; resumed, the clock starts again', async (t) => {
  const table = new RequestTable({ responseTimeoutMs: 50 })
  const r = request('r')
  table.add(r)
  table.pause()
  // A later event, not a pause: the same timeout in a table that is not paused, armed after
  // r was, fires after r's would have.
  const control = new RequestTable({ responseTimeoutMs: 50 })
  const c = request('c')
  control.add(c)
  t.absent((await c.result).ok, 'the same timeout, not paused, fired')
  t.absent(r.done, 'nothing fired while paused')
  table.resume()
  const result = await r.result
  t.ok(!result.ok && result.error.code === 'TIMEOUT_NO_RESPONSE')
})
