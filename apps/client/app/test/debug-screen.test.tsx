import { act, fireEvent, screen, waitFor } from '@testing-library/react-native'
import * as Clipboard from 'expo-clipboard'
import { formatPairingCode } from '@localllm/protocol'
import { redactServerIds } from '../src/state/redact'
import { SERVER_ID, openChat, worklet } from './helpers/app'
import { keychain } from './helpers/keychain'

test('long-pressing the chat header opens the debug log; Copy copies the lines', async () => {
  await openChat()
  await act(() => {
    worklet().emitEvent({ event: 'log', level: 'info', msg: 'joined the topic' })
    worklet().emitEvent({ event: 'log', level: 'warn', msg: 'peer closed, retrying' })
  })
  await fireEvent(screen.getByLabelText("Ana's MacBook, ready"), 'longPress')
  expect(await screen.findByText('info joined the topic')).toBeTruthy()
  expect(screen.getByText('warn peer closed, retrying')).toBeTruthy()
  expect(screen.getByText('2 log lines (last 200)')).toBeTruthy()
  await fireEvent.press(screen.getByText('Copy'))
  expect(Clipboard.setStringAsync).toHaveBeenLastCalledWith(
    'info joined the topic\nwarn peer closed, retrying'
  )
  expect(await screen.findByText('Copied')).toBeTruthy()
})

test('the debug log never shows or copies the Server ID', async () => {
  await openChat()
  await waitFor(() => expect(keychain.get('localllm.recent-hosts')).toContain(SERVER_ID))
  const linkId = formatPairingCode(new Uint8Array(32).fill(9), new Uint8Array(16).fill(9))
  await act(() => {
    worklet().emitEvent({ event: 'log', level: 'debug', msg: `connecting to ${SERVER_ID}` })
    worklet().emitEvent({ event: 'log', level: 'debug', msg: `link localllm://connect/${linkId}` })
    worklet().emitEvent({ event: 'log', level: 'debug', msg: `id ${linkId} again` })
  })
  await fireEvent(screen.getByLabelText("Ana's MacBook, ready"), 'longPress')
  expect(await screen.findByText('debug connecting to [Server ID]')).toBeTruthy()
  expect(screen.getByText('debug link [Server ID]')).toBeTruthy()
  expect(screen.getByText('debug id [Server ID] again')).toBeTruthy()
  expect(screen.queryByText(new RegExp(SERVER_ID))).toBeNull()
  expect(screen.queryByText(new RegExp(linkId))).toBeNull()
  await fireEvent.press(screen.getByText('Copy'))
  const copied = jest.mocked(Clipboard.setStringAsync).mock.calls.at(-1)?.[0] ?? ''
  expect(copied).not.toContain(SERVER_ID)
  expect(copied).not.toContain(linkId)
})

test('an empty log says so and Copy is disabled', async () => {
  await openChat()
  await fireEvent(screen.getByLabelText("Ana's MacBook, ready"), 'longPress')
  expect(await screen.findByText('No log lines yet.')).toBeTruthy()
  expect(screen.getByRole('button', { name: 'Copy' })).toBeDisabled()
})

test('redactServerIds leaves ordinary text and hex proofs alone', () => {
  const proof = 'a0'.repeat(32)
  expect(redactServerIds(`proof ${proof} ok`, [])).toBe(`proof ${proof} ok`)
  expect(redactServerIds('model llama3.2:3b ready', [])).toBe('model llama3.2:3b ready')
})

test('the debug log says how the connection reaches the host, and the chat marks a relay', async () => {
  await openChat()
  await act(() =>
    worklet().emitEvent({ event: 'path', path: 'relayed', remote: 'public', connect_ms: 812.4 })
  )
  expect(screen.getByLabelText("Ana's MacBook, ready, through a relay")).toBeTruthy()
  expect(screen.getByText(' · relayed')).toBeTruthy()
  await fireEvent(screen.getByLabelText("Ana's MacBook, ready, through a relay"), 'longPress')
  expect(
    await screen.findByText("Connected through the host's relay (public address) in 812 ms")
  ).toBeTruthy()
})
