// Dynamic Type: every text on the screens grows with the system font size. Nothing turns
// scaling off (allowFontScaling={false}), and where a cap keeps a layout together
// (maxFontSizeMultiplier) it still lets text reach at least 1.5× its designed size.
import { act, fireEvent, screen } from '@testing-library/react-native'
import { router } from 'expo-router'
import { CAMERA_WHY } from '../src/app/scan'
import { camera, undetermined } from './helpers/camera'
import { keychain } from './helpers/keychain'
import { HOST_INFO, SERVER_ID, hostOnline, renderApp, worklet } from './helpers/app'

/** The lowest cap allowed: iOS's largest accessibility sizes are about 3× the default. */
const MIN_CAP = 1.5

interface Scaling {
  text: string
  allowFontScaling: unknown
  maxFontSizeMultiplier: unknown
}

// Every Text and TextInput on screen, with its text and its two scaling props.
function scalingOnScreen(): Scaling[] {
  return screen.container
    .queryAll((node) => node.type === 'Text' || node.type === 'TextInput')
    .map((node) => ({
      text: String(node.props.value ?? node.props.placeholder ?? textOf(node.children)),
      allowFontScaling: node.props.allowFontScaling,
      maxFontSizeMultiplier: node.props.maxFontSizeMultiplier
    }))
}

function textOf(children: ReadonlyArray<unknown>): string {
  return children
    .map((child) =>
      typeof child === 'string' ? child : textOf((child as { children: unknown[] }).children)
    )
    .join('')
}

function expectAllScaling(texts: Scaling[]): void {
  expect(texts.filter((t) => t.allowFontScaling === false)).toEqual([])
  // 0 (or null) means "no cap" to React Native.
  expect(
    texts.filter((t) => {
      const cap = t.maxFontSizeMultiplier
      return cap != null && cap !== 0 && !(typeof cap === 'number' && cap >= MIN_CAP)
    })
  ).toEqual([])
}

test('the Connect screen scales every text: field, buttons, error, recent hosts', async () => {
  // A recent host, and a connect error with its next step.
  keychain.set(
    'localllm.recent-hosts',
    JSON.stringify([
      { serverId: SERVER_ID, hostName: HOST_INFO.host_name, model: 'm', lastConnected: 1 }
    ])
  )
  await renderApp()
  await screen.findByText(HOST_INFO.host_name)
  await fireEvent.changeText(screen.getByLabelText('Server ID'), SERVER_ID)
  await fireEvent.press(screen.getByText('Connect'))
  await act(() =>
    worklet().emitEvent({
      event: 'error',
      code: 'HOST_OFFLINE',
      message: "The host isn't online.",
      retryable: true
    })
  )
  await screen.findByText("The host isn't online.")

  const texts = scalingOnScreen()
  expect(texts.map((t) => t.text)).toEqual(
    expect.arrayContaining([SERVER_ID, 'Paste', 'Scan', 'Try again', HOST_INFO.host_name])
  )
  expectAllScaling(texts)
})

test('the Chat screen scales every text; the header and byte counter are capped, not frozen', async () => {
  hostOnline()
  await renderApp()
  await fireEvent.changeText(screen.getByLabelText('Server ID'), SERVER_ID)
  await fireEvent.press(screen.getByText('Connect'))
  await fireEvent.changeText(await screen.findByLabelText('Prompt'), 'Say hi')
  await fireEvent.press(screen.getByText('Send'))
  const ref = (worklet().commands.at(-1) as { ref: string }).ref
  await act(() => {
    worklet().emitEvent({ event: 'chunk', ref, thinking: 'Thinking it over.' })
    worklet().emitEvent({ event: 'chunk', ref, text: 'Hello **there**\n\n```\ncode\n```' })
    worklet().emitEvent({
      event: 'end',
      ref,
      request_id: 'q1',
      finish_reason: 'stop',
      stats: {
        prompt_tokens: 4,
        completion_tokens: 5,
        first_token_ms: 180,
        total_ms: 900,
        tokens_per_second: 12.3
      }
    })
    worklet().emitEvent({ event: 'status', status: 'reconnecting' })
  })
  await screen.findByText('first token 180 ms · 12.3 tokens/s')
  await fireEvent.changeText(screen.getByLabelText('Prompt'), 'x'.repeat(9000))

  const texts = scalingOnScreen()
  expect(texts.map((t) => t.text)).toEqual(
    expect.arrayContaining([
      'Say hi',
      'code',
      'Connection lost. Reconnecting…',
      'New chat',
      'Copy',
      'Regenerate',
      '9000 / 8192 bytes — too long to send, shorten it'
    ])
  )
  expectAllScaling(texts)
  expect(screen.getByLabelText('Prompt size').props.maxFontSizeMultiplier).toBeGreaterThanOrEqual(
    MIN_CAP
  )
  const header = texts.find((t) => t.text === `${HOST_INFO.host_name} · ${HOST_INFO.model}`)
  expect(header?.maxFontSizeMultiplier).toBeGreaterThanOrEqual(MIN_CAP)
})

test('the Conversations screen scales every text, the delete question included', async () => {
  hostOnline()
  await renderApp()
  await fireEvent.changeText(screen.getByLabelText('Server ID'), SERVER_ID)
  await fireEvent.press(screen.getByText('Connect'))
  await fireEvent.changeText(await screen.findByLabelText('Prompt'), 'Say hi')
  await fireEvent.press(screen.getByText('Send'))
  await act(() => router.back())
  await fireEvent.press(await screen.findByLabelText('Delete Say hi'))
  await screen.findByText('Delete “Say hi”? It is removed from this phone.')
  const texts = scalingOnScreen()
  expect(texts.map((t) => t.text)).toEqual(
    expect.arrayContaining([`Conversations with ${HOST_INFO.host_name}`, 'Cancel', 'Delete'])
  )
  expectAllScaling(texts)
})

test('the scanner’s explanation and the debug log scale too', async () => {
  camera.permission = undetermined()
  const scanner = await renderApp('/scan')
  await screen.findByText(CAMERA_WHY)
  expectAllScaling(scalingOnScreen())
  await act(() => scanner.unmount())

  await renderApp('/debug')
  await screen.findByText('No log lines yet.')
  expectAllScaling(scalingOnScreen())
})
