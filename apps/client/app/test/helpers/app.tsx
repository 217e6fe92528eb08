// Renders the whole app (real screens, real router) on a fake worklet, at a given URL, and
// the v2 pairing codes and host the screen tests use.
//
//   await openChat()            // paste SERVER_ID, Connect, land in a new conversation
//   const ref = await sendPrompt('Hi')
import { fireEvent, screen } from '@testing-library/react-native'
import { renderRouter } from 'expo-router/testing-library'
import { formatPairingCode } from '@localllm/protocol'
import type { Command, WorkletEvent } from '@localllm/worklet'
import RootLayout from '../../src/app/_layout'
import ChatScreen from '../../src/app/chat'
import ChatsScreen from '../../src/app/chats'
import ConnectLink from '../../src/app/connect/[id]'
import DebugScreen from '../../src/app/debug'
import ConnectScreen from '../../src/app/index'
import ScanScreen from '../../src/app/scan'
import { FakeWorklet } from './fake-worklet'

export type ServerInfo = Extract<WorkletEvent, { event: 'server_info' }>['info']

export const HOST_INFO: ServerInfo = {
  host_name: "Ana's MacBook",
  model: 'llama3.2:3b',
  status: 'ready',
  protocol_version: 2,
  limits: {
    max_prompt_bytes: 8192,
    max_clients: 5,
    response_timeout_ms: 30000,
    max_reply_tokens: 4096,
    max_reply_ms: 300000
  }
}

/** A valid v2 pairing code (host key 01…, secret 02…) and its host key in hex. */
export const SERVER_ID = formatPairingCode(new Uint8Array(32).fill(1), new Uint8Array(16).fill(2))
export const HOST_KEY = '01'.repeat(32)
/** Another host: key 03…. */
export const OTHER_SERVER_ID = formatPairingCode(
  new Uint8Array(32).fill(3),
  new Uint8Array(16).fill(4)
)
export const OTHER_HOST_INFO: ServerInfo = {
  ...HOST_INFO,
  host_name: 'Office iMac',
  model: 'qwen3:8b'
}

export const STATS = {
  prompt_tokens: 4,
  completion_tokens: 20,
  first_token_ms: 180,
  total_ms: 1800,
  tokens_per_second: 12.3
}

/** Answers `connect` like a host that is online; each code gets its own server_info. */
export function hostOnline(infos: Record<string, ServerInfo> = {}): void {
  FakeWorklet.script = (command, worklet) => {
    if (command.cmd === 'connect') {
      worklet.emitEvent({ event: 'status', status: 'connecting' })
      worklet.emitEvent({ event: 'server_info', info: infos[command.server_id] ?? HOST_INFO })
      worklet.emitEvent({ event: 'status', status: 'connected' })
    }
  }
}

export function renderApp(initialUrl = '/') {
  return renderRouter(
    {
      _layout: RootLayout,
      index: ConnectScreen,
      chats: ChatsScreen,
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

/** Types a code into the Connect screen and presses Connect. */
export async function connectTo(code: string): Promise<void> {
  await fireEvent.changeText(screen.getByLabelText('Server ID'), code)
  await fireEvent.press(screen.getByText('Connect'))
}

/** The whole app with the host online: paste the ID, Connect, and wait for the chat. */
export async function openChat(infos: Record<string, ServerInfo> = {}) {
  hostOnline(infos)
  const app = await renderApp()
  await connectTo(SERVER_ID)
  await screen.findByLabelText('Prompt')
  return app
}

/** Types a prompt and presses Send; returns the `send` command's ref. */
export async function sendPrompt(text: string): Promise<string> {
  await fireEvent.changeText(screen.getByLabelText('Prompt'), text)
  await fireEvent.press(screen.getByText('Send'))
  const sent = worklet().commands.at(-1) as Extract<Command, { cmd: 'send' }>
  expect(sent).toMatchObject({ cmd: 'send', prompt: text })
  return sent.ref
}

/** The worklet ends reply `ref` with `text`. */
export function reply(ref: string, text: string): void {
  worklet().emitEvent({ event: 'chunk', ref, text })
  worklet().emitEvent({
    event: 'end',
    ref,
    request_id: `q-${ref}`,
    finish_reason: 'stop',
    stats: STATS
  })
}
