// Renders the whole app (real screens, real router) on a fake worklet, at a given URL.
import { fireEvent, screen } from '@testing-library/react-native'
import { renderRouter } from 'expo-router/testing-library'
import RootLayout from '../../src/app/_layout'
import ChatScreen from '../../src/app/chat'
import ConnectLink from '../../src/app/connect/[id]'
import DebugScreen from '../../src/app/debug'
import ConnectScreen from '../../src/app/index'
import ScanScreen from '../../src/app/scan'
import { FakeWorklet } from './fake-worklet'
import type { WorkletEvent } from '@localllm/worklet'

export const HOST_INFO: Extract<WorkletEvent, { event: 'server_info' }>['info'] = {
  host_proof: 'a'.repeat(64),
  host_name: "Ana's MacBook",
  model: 'llama3.2:3b',
  status: 'ready',
  protocol_version: 1,
  limits: { max_prompt_bytes: 8192, max_clients: 5, response_timeout_ms: 30000 }
}

export const SERVER_ID = '5Hw1ValidLookingServerIdForTests'

/** Answers `connect` like a host that is online. */
export function hostOnline(): void {
  FakeWorklet.script = (command, worklet) => {
    if (command.cmd === 'connect') {
      worklet.emitEvent({ event: 'status', status: 'connecting' })
      worklet.emitEvent({ event: 'server_info', info: HOST_INFO })
      worklet.emitEvent({ event: 'status', status: 'connected' })
    }
  }
}

export function renderApp(initialUrl = '/') {
  return renderRouter(
    {
      _layout: RootLayout,
      index: ConnectScreen,
      chat: ChatScreen,
      scan: ScanScreen,
      debug: DebugScreen,
      'connect/[id]': ConnectLink
    },
    { initialUrl }
  )
}

export function worklet(): FakeWorklet {
  if (!FakeWorklet.last) throw new Error('no worklet started')
  return FakeWorklet.last
}

/** The whole app with the host online: paste the ID, Connect, and wait for the chat. */
export async function openChat(): Promise<void> {
  hostOnline()
  await renderApp()
  await fireEvent.changeText(screen.getByLabelText('Server ID'), SERVER_ID)
  await fireEvent.press(screen.getByText('Connect'))
  await screen.findByLabelText('Prompt')
}
