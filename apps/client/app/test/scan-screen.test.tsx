import { act, fireEvent, screen, waitFor } from '@testing-library/react-native'
import { Linking } from 'react-native'
import { formatPairingCode } from '@localllm/protocol'
import { CAMERA_DENIED, CAMERA_WHY, NOT_A_SERVER_ID } from '../src/app/scan'
import { camera, denied, granted, undetermined } from './helpers/camera'
import { HOST_INFO, renderApp, worklet } from './helpers/app'
import { FakeWorklet } from './helpers/fake-worklet'

// A real Server ID: the scanner checks it with parseServerId before connecting.
const SCANNED_ID = formatPairingCode(new Uint8Array(32).fill(7), new Uint8Array(16).fill(8))

function hostOnlineFor(id: string) {
  FakeWorklet.script = (command, w) => {
    if (command.cmd === 'connect' && command.server_id === id) {
      w.emitEvent({ event: 'status', status: 'connecting' })
      w.emitEvent({ event: 'server_info', info: HOST_INFO })
      w.emitEvent({ event: 'status', status: 'connected' })
    }
  }
}

async function openScanner() {
  await renderApp()
  await fireEvent.press(screen.getByText('Scan'))
}

test('Scan asks for the camera with a sentence saying why, then shows the scanner', async () => {
  camera.permission = undetermined()
  camera.answer = granted()
  await openScanner()
  expect(await screen.findByText(CAMERA_WHY)).toBeTruthy()
  expect(screen.queryByText('Simulate scan')).toBeNull()
  await fireEvent.press(screen.getByText('Allow camera'))
  expect(camera.asked).toBe(1)
  expect(await screen.findByText('Simulate scan')).toBeTruthy()
})

test('a denied camera is explained, with a button to Settings', async () => {
  camera.permission = denied()
  const openSettings = jest.spyOn(Linking, 'openSettings').mockResolvedValue(undefined)
  await openScanner()
  expect(await screen.findByText(CAMERA_DENIED)).toBeTruthy()
  expect(screen.queryByText('Allow camera')).toBeNull()
  await fireEvent.press(screen.getByText('Open Settings'))
  expect(openSettings).toHaveBeenCalledTimes(1)
  expect(camera.asked).toBe(0)
  openSettings.mockRestore()
})

test('denying when asked switches to the Settings explanation', async () => {
  camera.permission = undetermined()
  camera.answer = denied()
  await openScanner()
  await fireEvent.press(await screen.findByText('Allow camera'))
  expect(await screen.findByText(CAMERA_DENIED)).toBeTruthy()
  expect(screen.getByText('Open Settings')).toBeTruthy()
})

test.each([
  ['a localllm://connect/<id> link', `localllm://connect/${SCANNED_ID}`],
  ['a bare Server ID', `  ${SCANNED_ID}\n`]
])('scanning %s fills in the ID, connects and lands on the chat', async (_name, data) => {
  hostOnlineFor(SCANNED_ID)
  camera.nextScan = data
  await openScanner()
  await fireEvent.press(await screen.findByText('Simulate scan'))
  expect(worklet().commands).toContainEqual(
    expect.objectContaining({ cmd: 'connect', server_id: SCANNED_ID })
  )
  expect(await screen.findByText("Ana's MacBook")).toBeTruthy()
  expect(screen.queryByText('Simulate scan')).toBeNull()
})

test('the scanned ID is filled in on the Connect screen', async () => {
  // The host does not answer: the Connect screen stays, showing the ID and the status.
  camera.nextScan = `localllm://connect/${SCANNED_ID}`
  await openScanner()
  await fireEvent.press(await screen.findByText('Simulate scan'))
  await waitFor(() => expect(screen.getByLabelText('Server ID').props.value).toBe(SCANNED_ID))
  expect(worklet().commands.at(-1)).toMatchObject({ cmd: 'connect', server_id: SCANNED_ID })
})

test('a QR code that is not a Server ID is explained and does not connect', async () => {
  camera.nextScan = 'https://example.com/menu'
  await openScanner()
  await fireEvent.press(await screen.findByText('Simulate scan'))
  expect(await screen.findByText(NOT_A_SERVER_ID)).toBeTruthy()
  expect(worklet().commands.some((c) => c.cmd === 'connect')).toBe(false)
  // Still scanning: a good code afterwards connects.
  camera.nextScan = SCANNED_ID
  await act(() => fireEvent.press(screen.getByText('Simulate scan')))
  expect(worklet().commands.at(-1)).toMatchObject({ cmd: 'connect', server_id: SCANNED_ID })
})
