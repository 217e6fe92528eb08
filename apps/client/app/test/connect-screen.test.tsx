import { act, fireEvent, screen, waitFor } from '@testing-library/react-native'
import * as Clipboard from 'expo-clipboard'
import { router } from 'expo-router'
import { ERROR_INFO, formatPairingCode, protocolError } from '@localllm/protocol'
import { errorEvent } from '@localllm/worklet'
import { FAKE_DEVICE_SEED, FakeWorklet } from './helpers/fake-worklet'
import { keychain, keychainOptions } from './helpers/keychain'
import {
  HOST_INFO,
  OTHER_SERVER_ID,
  SERVER_ID,
  connectTo,
  hostOnline,
  renderApp,
  worklet
} from './helpers/app'

test('the worklet starts with the bundled source and is terminated on unmount', async () => {
  const app = await renderApp()
  expect(worklet().started).toEqual({ filename: '/app.bundle', source: 'worklet bundle stub' })
  await act(() => app.unmount())
  expect(worklet().terminated).toBe(true)
})

test('paste, connect, see the status and land in a new chat with the host in the header', async () => {
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
  ['INVALID_SERVER_ID', 'Paste the Server ID again or scan the QR code'],
  ['HOST_OFFLINE', 'Try again'],
  ['HOST_UNREACHABLE', 'Try again'],
  ['CONNECT_FAILED', 'Try again'],
  ['UNSUPPORTED_VERSION', 'Update the app and the host, then connect again'],
  ['HOST_FULL', 'Try again later'],
  ['TOO_MANY_REQUESTS', 'Try again'],
  [
    'DEVICE_REMOVED',
    'Ask the host for its current Server ID, then paste it or scan its QR code here'
  ]
] as const)(
  '%s is told in plain words, without its code, with the next step',
  async (code, next) => {
    await renderApp()
    await connectTo(SERVER_ID)
    await act(() => worklet().emitEvent(errorEvent(protocolError(code))))
    expect(await screen.findByText(ERROR_INFO[code].message)).toBeTruthy()
    expect(screen.getByText(next)).toBeTruthy()
    expect(screen.queryByText(new RegExp(code))).toBeNull()
  }
)

test('a removed device is told the host removed it, and what to do', async () => {
  await renderApp()
  await connectTo(SERVER_ID)
  await act(() => worklet().emitEvent(errorEvent(protocolError('DEVICE_REMOVED'))))
  expect(
    await screen.findByText(
      'The host removed this device. Ask the host for its current Server ID to pair again.'
    )
  ).toBeTruthy()
})

test('the first connect makes this phone’s device key; it is kept in the Keychain and sent every time', async () => {
  hostOnline()
  const app = await renderApp()
  await connectTo(SERVER_ID)
  const first = worklet().commands.find((c) => c.cmd === 'connect')
  expect(first).not.toHaveProperty('device_seed')
  await waitFor(() => expect(keychain.get('localllm.device-seed')).toBe(FAKE_DEVICE_SEED))
  expect(keychainOptions.get('localllm.device-seed')).toEqual({
    keychainAccessible: 'AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY'
  })
  await act(() => app.unmount())

  // The next start of the app is the same device.
  await renderApp()
  await connectTo(SERVER_ID)
  expect(worklet().commands.at(-1)).toMatchObject({
    cmd: 'connect',
    server_id: SERVER_ID,
    device_seed: FAKE_DEVICE_SEED
  })
})

test('commands wait for the new device key, so two quick connects are one device', async () => {
  FakeWorklet.holdDevice = true
  await renderApp()
  await connectTo(SERVER_ID)
  // A link opens before the worklet has answered with the new key: that connect waits.
  await act(() => router.push(`/connect/${OTHER_SERVER_ID}`))
  const connects = () => worklet().commands.filter((c) => c.cmd === 'connect')
  expect(connects()).toHaveLength(1)
  await act(() => worklet().releaseDevice())
  expect(connects()).toHaveLength(2)
  expect(connects()[1]).toMatchObject({ server_id: OTHER_SERVER_ID, device_seed: FAKE_DEVICE_SEED })
})

test('the relay a host announces is kept with it and used on the next connect', async () => {
  const relay = 'ab'.repeat(32)
  hostOnline({ [SERVER_ID]: { ...HOST_INFO, relay } })
  const app = await renderApp()
  await connectTo(SERVER_ID)
  await waitFor(() => expect(keychain.get('localllm.recent-hosts')).toContain(relay))
  await act(() => app.unmount())
  await renderApp()
  await fireEvent.press(await screen.findByLabelText("Connect to Ana's MacBook"))
  expect(worklet().commands.at(-1)).toMatchObject({ cmd: 'connect', server_id: SERVER_ID, relay })
})

test('a newer code for the same host replaces the old one in Recent hosts', async () => {
  const newer = formatPairingCode(new Uint8Array(32).fill(1), new Uint8Array(16).fill(9))
  keychain.set(
    'localllm.recent-hosts',
    JSON.stringify([{ serverId: SERVER_ID, hostName: 'Old name', model: 'm', lastConnected: 1 }])
  )
  hostOnline()
  await renderApp()
  await connectTo(newer)
  await waitFor(() => expect(keychain.get('localllm.recent-hosts')).toContain(newer))
  expect(keychain.get('localllm.recent-hosts')).not.toContain(SERVER_ID)
})

test('Server IDs from before pairing v2 are dropped from Recent hosts', async () => {
  keychain.set(
    'localllm.recent-hosts',
    JSON.stringify([
      {
        serverId: '5Hw1OldStyleServerIdOf32Bytes',
        hostName: 'Old host',
        model: 'm',
        lastConnected: 2
      },
      { serverId: SERVER_ID, hostName: 'New host', model: 'm', lastConnected: 1 }
    ])
  )
  await renderApp()
  expect(await screen.findByText('New host')).toBeTruthy()
  expect(screen.queryByText('Old host')).toBeNull()
})

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
