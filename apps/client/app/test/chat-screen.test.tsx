import { act, fireEvent, screen } from '@testing-library/react-native'
import * as Clipboard from 'expo-clipboard'
import type { Command } from '@localllm/worklet'
import { COPIED_MS } from '../src/app/chat'
import { openChat, worklet } from './helpers/app'

const stats = {
  prompt_tokens: 4,
  completion_tokens: 20,
  first_token_ms: 180,
  total_ms: 1800,
  tokens_per_second: 12.3
}

async function sendPrompt(text: string): Promise<string> {
  await fireEvent.changeText(screen.getByLabelText('Prompt'), text)
  await fireEvent.press(screen.getByText('Send'))
  const sent = worklet().commands.at(-1) as Extract<Command, { cmd: 'send' }>
  expect(sent).toMatchObject({ cmd: 'send', prompt: text })
  return sent.ref
}

afterEach(() => jest.useRealTimers())

test('tokens stream into a Markdown reply, batched, and the stats show at the end', async () => {
  await openChat()
  jest.useFakeTimers()
  const ref = await sendPrompt('Say hi')
  expect(screen.getByText('Waiting for the host…')).toBeTruthy()
  await act(() => {
    worklet().emitEvent({ event: 'chunk', ref, text: 'Hello ' })
    worklet().emitEvent({ event: 'chunk', ref, text: '**there**' })
  })
  // Not rendered until the 50 ms batch is flushed.
  expect(screen.queryByText('there')).toBeNull()
  await act(() => jest.advanceTimersByTime(50))
  expect(screen.getByText('there')).toBeTruthy()
  expect(screen.getByText('Stop')).toBeTruthy()
  await act(() =>
    worklet().emitEvent({ event: 'end', ref, request_id: 'q1', finish_reason: 'stop', stats })
  )
  expect(screen.getByText('first token 180 ms · 12.3 tokens/s')).toBeTruthy()
  expect(screen.getByText('Send')).toBeTruthy()
})

test('Stop aborts the reply and keeps the partial text, marked stopped', async () => {
  await openChat()
  const ref = await sendPrompt('Write a poem')
  await act(() => worklet().emitEvent({ event: 'chunk', ref, text: 'Roses are' }))
  await screen.findByText('Roses are')
  await fireEvent.press(screen.getByText('Stop'))
  expect(worklet().commands.at(-1)).toEqual({ cmd: 'abort', ref })
  await act(() =>
    worklet().emitEvent({
      event: 'error',
      ref,
      code: 'GENERATION_ABORTED',
      message: 'The reply was stopped.',
      retryable: false
    })
  )
  expect(screen.getByText('Roses are')).toBeTruthy()
  expect(screen.getByText('Stopped')).toBeTruthy()
})

test('MODEL_BUSY says the host is answering someone else, and Retry sends the prompt again', async () => {
  await openChat()
  const ref = await sendPrompt('Hello?')
  const message = 'The host is answering someone else right now. Try again in a moment.'
  await act(() =>
    worklet().emitEvent({ event: 'error', ref, code: 'MODEL_BUSY', message, retryable: true })
  )
  expect(screen.getByText(message)).toBeTruthy()
  await fireEvent.press(screen.getByText('Retry'))
  expect(worklet().commands.at(-1)).toMatchObject({ cmd: 'send', prompt: 'Hello?' })
})

test('chat_status loading_model shows "Loading model…"', async () => {
  await openChat()
  const ref = await sendPrompt('Hi')
  await act(() => worklet().emitEvent({ event: 'chat_status', ref, state: 'loading_model' }))
  expect(screen.getByText('Loading model…')).toBeTruthy()
})

test('Clear empties the transcript', async () => {
  await openChat()
  const ref = await sendPrompt('One')
  await act(() =>
    worklet().emitEvent({ event: 'end', ref, request_id: 'q1', finish_reason: 'stop', stats })
  )
  await fireEvent.press(screen.getByText('Clear'))
  expect(screen.queryByText('One')).toBeNull()
})

test('a reconnect banner shows while reconnecting and clears when connected again', async () => {
  await openChat()
  await act(() => worklet().emitEvent({ event: 'status', status: 'reconnecting' }))
  expect(screen.getByText('Connection lost. Reconnecting…')).toBeTruthy()
  await act(() => worklet().emitEvent({ event: 'status', status: 'connected' }))
  expect(screen.queryByText('Connection lost. Reconnecting…')).toBeNull()
})

test('the byte counter warns near 8 KB and blocks Send above it', async () => {
  await openChat()
  await fireEvent.changeText(screen.getByLabelText('Prompt'), 'é'.repeat(3800))
  expect(screen.getByText('7600 / 8192 bytes')).toBeTruthy()
  await fireEvent.changeText(screen.getByLabelText('Prompt'), 'é'.repeat(4100))
  expect(screen.getByText('8200 / 8192 bytes — too long to send, shorten it')).toBeTruthy()
  const sent = worklet().commands.length
  await fireEvent.press(screen.getByText('Send'))
  expect(worklet().commands.length).toBe(sent)
})

test('long-pressing a message copies its text and says "Copied" for a moment', async () => {
  await openChat()
  const ref = await sendPrompt('What is **Bare**?')
  await act(() => {
    worklet().emitEvent({ event: 'chunk', ref, text: 'Bare is a **small** runtime.' })
    worklet().emitEvent({ event: 'end', ref, request_id: 'q1', finish_reason: 'stop', stats })
  })
  jest.useFakeTimers()
  await fireEvent(screen.getByTestId(`reply-${ref}`), 'longPress')
  expect(Clipboard.setStringAsync).toHaveBeenLastCalledWith('Bare is a **small** runtime.')
  expect(await screen.findByText('Copied')).toBeTruthy()
  await act(() => jest.advanceTimersByTime(COPIED_MS))
  expect(screen.queryByText('Copied')).toBeNull()

  await fireEvent(screen.getByLabelText('You: What is **Bare**?'), 'longPress')
  expect(Clipboard.setStringAsync).toHaveBeenLastCalledWith('What is **Bare**?')
  expect(await screen.findByText('Copied')).toBeTruthy()
})

test('an empty chat invites the first question and names the model and host', async () => {
  await openChat()
  expect(screen.getByText('Ask llama3.2:3b anything')).toBeTruthy()
  expect(screen.getByText("Replies stream live from Ana's MacBook, peer to peer.")).toBeTruthy()
  await sendPrompt('Hi')
  expect(screen.queryByText('Ask llama3.2:3b anything')).toBeNull()
})
