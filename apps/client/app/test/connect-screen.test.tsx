import { act, fireEvent, screen, waitFor } from '@testing-library/react-native'
import * as Clipboard from 'expo-clipboard'
import { FakeWorklet } from './helpers/fake-worklet'
import { keychain } from './helpers/keychain'
import { HOST_INFO, SERVER_ID, hostOnline, renderApp, worklet } from './helpers/app'

test('the worklet starts with the bundled source and is terminated on unmount', async () => {
  const app = await renderApp()
  expect(worklet().started).toEqual({ filename: '/app.bundle', source: 'worklet bundle stub' })
  await act(() => app.unmount())
  expect(worklet().terminated).toBe(true)
})

test('paste, connect, see the status and land on the chat with the host in the header', async () => {
  jest.mocked(Clipboard.getStringAsync).mockResolvedValueOnce(`  ${SERVER_ID}\n`)
  await renderApp()
  await fireEvent.press(screen.getByText('Paste'))
  await waitFor(() => expect(screen.getByLabelText('Server ID').props.value).toBe(SERVER_ID))
  FakeScript.connecting()
  await fireEvent.press(screen.getByText('Connect'))
  expect(worklet().commands.at(-1)).toMatchObject({ cmd: 'connect', server_id: SERVER_ID })
  expect(await screen.findByText('Looking for the host…')).toBeTruthy()
  await act(() => {
    worklet().emitEvent({ event: 'server_info', info: HOST_INFO })
    worklet().emitEvent({ event: 'status', status: 'connected' })
  })
  expect(await screen.findByText("Ana's MacBook")).toBeTruthy()
  expect(screen.getByText('llama3.2:3b')).toBeTruthy()
})

test.each([
  [
    'INVALID_SERVER_ID',
    "That Server ID isn't valid. Copy it again from the host, or scan its QR code.",
    false,
    'Paste the Server ID again or scan the QR code'
  ],
  [
    'HOST_OFFLINE',
    "The host isn't online. Make sure LocalLLM is running on the host computer, then try again.",
    true,
    'Try again'
  ],
  [
    'CONNECT_FAILED',
    "The host was found but the connection couldn't be set up. Check the Server ID is the current one and try again.",
    true,
    'Try again'
  ],
  [
    'UNSUPPORTED_VERSION',
    'This app and the host use different versions of LocalLLM. Update LocalLLM on both devices.',
    false,
    'Update the app and the host, then connect again'
  ],
  [
    'HOST_FULL',
    'The host already has as many people connected as it allows. Try again later.',
    true,
    'Try again later'
  ]
] as const)(
  '%s is told in plain words with the next step',
  async (code, message, retryable, next) => {
    await renderApp()
    await fireEvent.changeText(screen.getByLabelText('Server ID'), SERVER_ID)
    await fireEvent.press(screen.getByText('Connect'))
    await act(() => worklet().emitEvent({ event: 'error', code, message, retryable }))
    expect(await screen.findByText(message)).toBeTruthy()
    expect(screen.getByText(next)).toBeTruthy()
  }
)

test('a connected host is remembered in the Keychain and one tap reconnects; Remove forgets it', async () => {
  hostOnline()
  const app = await renderApp()
  await fireEvent.changeText(screen.getByLabelText('Server ID'), SERVER_ID)
  await fireEvent.press(screen.getByText('Connect'))
  await waitFor(() => expect(keychain.get('localllm.recent-hosts')).toContain(SERVER_ID))
  await act(() => app.unmount())

  await renderApp()
  const host = await screen.findByLabelText("Connect to Ana's MacBook")
  await fireEvent.press(host)
  expect(worklet().commands.at(-1)).toMatchObject({ cmd: 'connect', server_id: SERVER_ID })
})

test('Remove takes a host off the recent list and out of the Keychain', async () => {
  keychain.set(
    'localllm.recent-hosts',
    JSON.stringify([{ serverId: SERVER_ID, hostName: 'Old host', model: 'm', lastConnected: 1 }])
  )
  await renderApp()
  expect(await screen.findByText('Old host')).toBeTruthy()
  await fireEvent.press(screen.getByText('Remove'))
  await waitFor(() => expect(screen.queryByText('Old host')).toBeNull())
  expect(keychain.get('localllm.recent-hosts')).toBe('[]')
})

test('a localllm://connect/<id> link connects to that ID', async () => {
  hostOnline()
  await renderApp(`/connect/${SERVER_ID}`)
  await waitFor(() =>
    expect(worklet().commands).toContainEqual(
      expect.objectContaining({ cmd: 'connect', server_id: SERVER_ID })
    )
  )
})

const FakeScript = {
  connecting() {
    FakeWorklet.script = (command, w) => {
      if (command.cmd === 'connect') w.emitEvent({ event: 'status', status: 'connecting' })
    }
  }
}

test('a clipboard that cannot be read leaves the typed ID as it was', async () => {
  jest.mocked(Clipboard.getStringAsync).mockRejectedValueOnce(new Error('NotAllowedError'))
  await renderApp()
  await fireEvent.changeText(screen.getByLabelText('Server ID'), 'typed-so-far')
  await fireEvent.press(screen.getByText('Paste'))
  await waitFor(() => expect(Clipboard.getStringAsync).toHaveBeenCalled())
  expect(screen.getByLabelText('Server ID').props.value).toBe('typed-so-far')
})
