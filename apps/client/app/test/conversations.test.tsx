// Conversations kept on the phone per host: saved in SQLite (sql.js standing in for
// expo-sqlite), listed per host, opened, continued, deleted after a question.
import { act, fireEvent, screen, waitFor } from '@testing-library/react-native'
import { router } from 'expo-router'
import type { Command } from '@localllm/worklet'
import { NOT_KEPT } from '../src/app/chats'
import { DATABASE_NAME, openConversationStore } from '../src/state/conversation-store'
import {
  HOST_KEY,
  OTHER_HOST_INFO,
  OTHER_SERVER_ID,
  SERVER_ID,
  connectTo,
  hostOnline,
  openChat,
  renderApp,
  reply,
  sendPrompt,
  worklet
} from './helpers/app'
import { sqlite } from './helpers/sqlite'

const lastSend = () =>
  worklet()
    .commands.filter((c): c is Extract<Command, { cmd: 'send' }> => c.cmd === 'send')
    .at(-1)

async function chatAbout(prompt: string, answer: string) {
  const ref = await sendPrompt(prompt)
  await act(() => reply(ref, answer))
}

async function backToList() {
  await act(() => router.back())
  await screen.findByText(/^Conversations with /)
}

test('a conversation is saved on the phone and is still listed and opens after a restart', async () => {
  const app = await openChat()
  await chatAbout('My name is Ana.', 'Nice to meet you, Ana.')
  await chatAbout('I live in Porto.', 'Porto is lovely.')
  await act(() => app.unmount())

  // A new app start: connect again, go back to the host's list, open the conversation.
  await openChat()
  await backToList()
  await fireEvent.press(await screen.findByLabelText('Open My name is Ana.'))
  expect(await screen.findByText('Porto is lovely.')).toBeTruthy()
  await sendPrompt('Where do I live?')
  expect(lastSend()?.history).toEqual([
    { role: 'user', content: 'My name is Ana.' },
    { role: 'assistant', content: 'Nice to meet you, Ana.' },
    { role: 'user', content: 'I live in Porto.' },
    { role: 'assistant', content: 'Porto is lovely.' }
  ])
})

test('each host has its own list: switching hosts never shows the other host’s messages', async () => {
  hostOnline({ [OTHER_SERVER_ID]: OTHER_HOST_INFO })
  await renderApp()
  await connectTo(SERVER_ID)
  await screen.findByLabelText('Prompt')
  await chatAbout('Question for Ana', 'Answer from Ana’s MacBook')

  // Back to the start, and on to the other host.
  await act(() => router.dismissAll())
  await connectTo(OTHER_SERVER_ID)
  expect(await screen.findByLabelText('Office iMac, ready')).toBeTruthy()
  expect(screen.queryByText('Answer from Ana’s MacBook')).toBeNull()
  await chatAbout('Question for the office', 'Answer from the office')
  await backToList()
  expect(screen.getByText('Conversations with Office iMac')).toBeTruthy()
  expect(screen.getByLabelText('Open Question for the office')).toBeTruthy()
  expect(screen.queryByLabelText('Open Question for Ana')).toBeNull()
})

test('Delete asks first: Cancel keeps the conversation, Delete removes it from the phone', async () => {
  await openChat()
  await chatAbout('Keep or delete?', 'Up to you.')
  await backToList()
  await fireEvent.press(screen.getByLabelText('Delete Keep or delete?'))
  expect(screen.getByText('Delete “Keep or delete?”? It is removed from this phone.')).toBeTruthy()
  await fireEvent.press(screen.getByText('Cancel'))
  expect(screen.getByLabelText('Open Keep or delete?')).toBeTruthy()

  await fireEvent.press(screen.getByLabelText('Delete Keep or delete?'))
  await fireEvent.press(screen.getByLabelText('Yes, delete Keep or delete?'))
  await waitFor(() => expect(screen.queryByLabelText('Open Keep or delete?')).toBeNull())
  expect(screen.getByText("No conversations with Ana's MacBook yet.")).toBeTruthy()
  const store = await openConversationStore()
  expect(await store.list(HOST_KEY)).toEqual([])
})

test('New chat starts an empty conversation; the previous one stays in the list', async () => {
  await openChat()
  await chatAbout('The first conversation', 'Yes')
  await fireEvent.press(screen.getByText('New chat'))
  expect(await screen.findByText('Ask llama3.2:3b anything')).toBeTruthy()
  await sendPrompt('A fresh start')
  expect(lastSend()?.history).toBeUndefined()
  await backToList()
  expect(screen.getByLabelText('Open The first conversation')).toBeTruthy()
  expect(screen.getByLabelText('Open A fresh start')).toBeTruthy()
})

test('an empty new chat is not saved', async () => {
  await openChat()
  await backToList()
  expect(await screen.findByText("No conversations with Ana's MacBook yet.")).toBeTruthy()
})

test('when the database cannot be opened, chatting still works and the list says nothing is kept', async () => {
  sqlite.failOpen = true
  await openChat()
  await chatAbout('Still works?', 'Yes.')
  await backToList()
  expect(screen.getByText(NOT_KEPT)).toBeTruthy()
  expect(screen.getByLabelText('Open Still works?')).toBeTruthy()
  expect(sqlite.files.has(DATABASE_NAME)).toBe(false)
})
