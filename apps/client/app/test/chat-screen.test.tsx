import { act, fireEvent, screen } from '@testing-library/react-native'
import * as Clipboard from 'expo-clipboard'
import * as Haptics from 'expo-haptics'
import { FlatList, Share } from 'react-native'
import { protocolError } from '@localllm/protocol'
import { errorEvent, type Command } from '@localllm/worklet'
import { COPIED_MS } from '../src/app/chat'
import { DROPPED_NOTE } from '../src/components/turn-view'
import { HOST_INFO, STATS, openChat, reply, sendPrompt, worklet } from './helpers/app'

afterEach(() => jest.useRealTimers())

const lastSend = () =>
  worklet()
    .commands.filter((c): c is Extract<Command, { cmd: 'send' }> => c.cmd === 'send')
    .at(-1)

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
    worklet().emitEvent({
      event: 'end',
      ref,
      request_id: 'q1',
      finish_reason: 'stop',
      stats: STATS
    })
  )
  expect(screen.getByText('first token 180 ms · 12.3 tokens/s')).toBeTruthy()
  expect(screen.getByText('Send')).toBeTruthy()
})

test('the second prompt carries the first exchange as history, oldest first', async () => {
  await openChat()
  const first = await sendPrompt('My name is Ana and I live in Porto.')
  await act(() => reply(first, 'Nice to meet you, Ana!'))
  await sendPrompt('What is my name and where do I live?')
  expect(lastSend()).toEqual({
    cmd: 'send',
    ref: expect.any(String) as string,
    prompt: 'What is my name and where do I live?',
    history: [
      { role: 'user', content: 'My name is Ana and I live in Porto.' },
      { role: 'assistant', content: 'Nice to meet you, Ana!' }
    ]
  })
})

test('a conversation too long for one request says earlier messages weren’t sent', async () => {
  await openChat()
  const long = 'x'.repeat(20000)
  for (let i = 0; i < 3; i++) {
    const ref = await sendPrompt(`question ${i}`)
    await act(() => reply(ref, long))
  }
  expect(screen.queryByText(DROPPED_NOTE)).toBeNull()
  await sendPrompt('one more')
  const sent = lastSend()
  expect(sent?.history?.[0]).toEqual({ role: 'user', content: 'question 1' })
  expect(await screen.findByText(DROPPED_NOTE)).toBeTruthy()
})

test('Stop aborts the reply and keeps the partial text, marked stopped', async () => {
  await openChat()
  const ref = await sendPrompt('Write a poem')
  await act(() => worklet().emitEvent({ event: 'chunk', ref, text: 'Roses are' }))
  await screen.findByText('Roses are')
  await fireEvent.press(screen.getByText('Stop'))
  expect(worklet().commands.at(-1)).toEqual({ cmd: 'abort', ref })
  await act(() => worklet().emitEvent(errorEvent(protocolError('GENERATION_ABORTED'), ref)))
  expect(screen.getByText('Roses are')).toBeTruthy()
  expect(screen.getByText('Stopped')).toBeTruthy()
})

test('an error is a sentence without its code, and Retry replaces the failed bubble', async () => {
  await openChat()
  const ref = await sendPrompt('Hello?')
  await act(() => worklet().emitEvent(errorEvent(protocolError('MODEL_BUSY'), ref)))
  const message = 'The host is answering someone else right now. Try again in a moment.'
  expect(screen.getByText(message)).toBeTruthy()
  expect(screen.queryByText(/MODEL_BUSY/)).toBeNull()
  await fireEvent.press(screen.getByText('Retry'))
  const retried = lastSend()
  expect(retried).toMatchObject({ cmd: 'send', prompt: 'Hello?' })
  expect(retried?.ref).not.toBe(ref)
  // One bubble for the prompt, and the failed reply is gone.
  expect(screen.getAllByText('Hello?')).toHaveLength(1)
  expect(screen.queryByText(message)).toBeNull()
  await act(() => reply(retried?.ref ?? '', 'Hi!'))
  expect(screen.getAllByText('Hello?')).toHaveLength(1)
  expect(screen.getByText('Hi!')).toBeTruthy()
})

test('Regenerate asks again for the last reply only, with the earlier turns as history', async () => {
  await openChat()
  const a = await sendPrompt('First')
  await act(() => reply(a, 'One'))
  const b = await sendPrompt('Second')
  await act(() => reply(b, 'Two'))
  // Only the last reply offers it.
  expect(screen.getAllByLabelText('Regenerate the reply')).toHaveLength(1)
  await fireEvent.press(screen.getByLabelText('Regenerate the reply'))
  expect(lastSend()).toMatchObject({
    prompt: 'Second',
    history: [
      { role: 'user', content: 'First' },
      { role: 'assistant', content: 'One' }
    ]
  })
  expect(screen.queryByText('Two')).toBeNull()
  await act(() => reply(lastSend()?.ref ?? '', 'Two, again'))
  expect(screen.getByText('Two, again')).toBeTruthy()
  expect(screen.getAllByText('Second')).toHaveLength(1)
})

test('Copy and Share hand on the reply as plain text; a code block copies its code', async () => {
  await openChat()
  const ref = await sendPrompt('Reverse a string')
  const markdown = 'Use **slicing**:\n\n```python\ndef reverse(s):\n    return s[::-1]\n```'
  await act(() => reply(ref, markdown))
  await fireEvent.press(screen.getByLabelText('Copy code'))
  expect(Clipboard.setStringAsync).toHaveBeenLastCalledWith('def reverse(s):\n    return s[::-1]')
  expect(await screen.findByLabelText('Copied')).toBeTruthy()

  await fireEvent.press(screen.getByLabelText('Copy the reply'))
  expect(Clipboard.setStringAsync).toHaveBeenLastCalledWith(
    'Use slicing:\n\ndef reverse(s):\n    return s[::-1]'
  )
  const share = jest.spyOn(Share, 'share').mockResolvedValue({ action: 'sharedAction' })
  await fireEvent.press(screen.getByLabelText('Share the reply'))
  expect(share).toHaveBeenCalledWith({
    message: 'Use slicing:\n\ndef reverse(s):\n    return s[::-1]'
  })
  share.mockRestore()
})

test('long-pressing your own message copies it and says "Copied" for a moment', async () => {
  await openChat()
  await sendPrompt('What is **Bare**?')
  jest.useFakeTimers()
  await fireEvent(screen.getByLabelText('You: What is **Bare**?'), 'longPress')
  expect(Clipboard.setStringAsync).toHaveBeenLastCalledWith('What is **Bare**?')
  expect(await screen.findByText('Copied')).toBeTruthy()
  await act(() => jest.advanceTimersByTime(COPIED_MS))
  expect(screen.queryByText('Copied')).toBeNull()
})

test('a thinking model’s reasoning is collapsed as "Thinking… 4 s", opens, and is never sent back', async () => {
  await openChat()
  jest.useFakeTimers({ now: 100_000 })
  const ref = await sendPrompt('Why is the sky blue?')
  await act(() => {
    worklet().emitEvent({
      event: 'chunk',
      ref,
      thinking: 'Rayleigh scattering: shorter wavelengths scatter more.'
    })
    jest.advanceTimersByTime(50)
  })
  await act(() => jest.advanceTimersByTime(4000))
  expect(screen.getByText('▸ Thinking… 4 s')).toBeTruthy()
  expect(screen.queryByText(/Rayleigh/)).toBeNull()
  await act(() => {
    worklet().emitEvent({ event: 'chunk', ref, text: 'Because of Rayleigh scattering.' })
    worklet().emitEvent({ event: 'end', ref, request_id: 'q', finish_reason: 'stop', stats: STATS })
  })
  expect(screen.getByText('▸ Thought for 4 s')).toBeTruthy()
  await fireEvent.press(screen.getByLabelText('Thought for 4 s'))
  expect(screen.getByText('Rayleigh scattering: shorter wavelengths scatter more.')).toBeTruthy()
  await sendPrompt('And at sunset?')
  expect(JSON.stringify(lastSend()?.history)).not.toContain('shorter wavelengths')
})

test('the phone taps when a prompt goes out and when the reply has finished', async () => {
  await openChat()
  const ref = await sendPrompt('Hi')
  expect(Haptics.impactAsync).toHaveBeenCalledTimes(1)
  expect(Haptics.notificationAsync).not.toHaveBeenCalled()
  await act(() => reply(ref, 'Hello'))
  expect(Haptics.notificationAsync).toHaveBeenCalledWith('success')
})

test('a long prompt is collapsed with Show more', async () => {
  await openChat()
  const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')
  await sendPrompt(long)
  expect(screen.getByText(long).props.numberOfLines).toBe(6)
  await fireEvent.press(screen.getByText('Show more'))
  expect(screen.getByText(long).props.numberOfLines).toBeUndefined()
  expect(screen.getByText('Show less')).toBeTruthy()
})

test('chat_status loading_model says the model is loading', async () => {
  await openChat()
  const ref = await sendPrompt('Hi')
  await act(() => worklet().emitEvent({ event: 'chat_status', ref, state: 'loading_model' }))
  expect(screen.getByText('Loading the model…')).toBeTruthy()
})

test('an unavailable host says why before anything is typed, and Send waits until it is ready', async () => {
  await openChat()
  await act(() =>
    worklet().emitEvent({
      event: 'server_info',
      info: { ...HOST_INFO, status: 'unavailable', reason: 'ollama_unreachable' }
    })
  )
  expect(
    screen.getByText(
      "Ollama isn't running on Ana's MacBook, so it can't answer. Ask the host to start Ollama."
    )
  ).toBeTruthy()
  expect(screen.getByLabelText("Ana's MacBook, unavailable")).toBeTruthy()
  await fireEvent.changeText(screen.getByLabelText('Prompt'), 'Hello?')
  expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  await act(() => worklet().emitEvent({ event: 'server_info', info: HOST_INFO }))
  expect(screen.getByRole('button', { name: 'Send' })).not.toBeDisabled()
  expect(screen.getByLabelText("Ana's MacBook, ready")).toBeTruthy()
})

test('busy says in words that someone else is being answered; our own reply does not', async () => {
  await openChat()
  await act(() =>
    worklet().emitEvent({ event: 'server_info', info: { ...HOST_INFO, status: 'busy' } })
  )
  expect(
    screen.getByText(
      "Ana's MacBook is answering someone else right now. You can send when it's done."
    )
  ).toBeTruthy()
  await act(() => worklet().emitEvent({ event: 'server_info', info: HOST_INFO }))
  const ref = await sendPrompt('Hi')
  await act(() =>
    worklet().emitEvent({ event: 'server_info', info: { ...HOST_INFO, status: 'busy' } })
  )
  await act(() => reply(ref, 'Hello'))
  expect(screen.queryByTestId('status-banner')).toBeNull()
})

test('a reconnect banner shows while reconnecting and clears when connected again', async () => {
  await openChat()
  await act(() => worklet().emitEvent({ event: 'status', status: 'reconnecting' }))
  expect(screen.getByText('Connection lost. Reconnecting…')).toBeTruthy()
  expect(screen.getByLabelText("Ana's MacBook, reconnecting")).toBeTruthy()
  await act(() => worklet().emitEvent({ event: 'status', status: 'connected' }))
  expect(screen.queryByText('Connection lost. Reconnecting…')).toBeNull()
})

test('a removed device is told so in the chat, in plain words', async () => {
  await openChat()
  await act(() => {
    worklet().emitEvent(errorEvent(protocolError('DEVICE_REMOVED')))
    worklet().emitEvent({ event: 'status', status: 'offline' })
  })
  expect(
    screen.getByText(
      'The host removed this device. Ask the host for its current Server ID to pair again.'
    )
  ).toBeTruthy()
})

test('the transcript follows the reply at the bottom; scrolling up stops it and shows Jump to latest', async () => {
  const scrollToEnd = jest
    .spyOn(FlatList.prototype, 'scrollToEnd')
    .mockImplementation(() => undefined)
  await openChat()
  const list = screen.getByTestId('transcript')
  const scroll = (y: number) =>
    fireEvent.scroll(list, {
      nativeEvent: {
        contentOffset: { x: 0, y },
        contentSize: { width: 390, height: 2000 },
        layoutMeasurement: { width: 390, height: 600 }
      }
    })
  const ref = await sendPrompt('Tell me a long story')
  scrollToEnd.mockClear()
  await fireEvent(list, 'contentSizeChange', 390, 2000)
  expect(scrollToEnd).toHaveBeenCalledWith({ animated: false })

  await scroll(1400)
  await scroll(900)
  expect(screen.getByLabelText('Jump to the latest message')).toBeTruthy()
  scrollToEnd.mockClear()
  await act(() => worklet().emitEvent({ event: 'chunk', ref, text: 'More story.' }))
  await fireEvent(list, 'contentSizeChange', 390, 2300)
  expect(scrollToEnd).not.toHaveBeenCalled()

  await fireEvent.press(screen.getByLabelText('Jump to the latest message'))
  expect(scrollToEnd).toHaveBeenCalledWith({ animated: true })
  expect(screen.queryByLabelText('Jump to the latest message')).toBeNull()
  await fireEvent(list, 'contentSizeChange', 390, 2600)
  expect(scrollToEnd).toHaveBeenLastCalledWith({ animated: false })
  scrollToEnd.mockRestore()
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

test('an empty chat invites the first question and names the model and host', async () => {
  await openChat()
  expect(screen.getByText('Ask llama3.2:3b anything')).toBeTruthy()
  expect(
    screen.getByText(
      "Replies stream live from Ana's MacBook, peer to peer. This conversation is kept on this phone."
    )
  ).toBeTruthy()
  await sendPrompt('Hi')
  expect(screen.queryByText('Ask llama3.2:3b anything')).toBeNull()
})
