// Where conversations are kept on the phone, per host: SQLite (expo-sqlite) on the phone and
// in the web preview (expo-sqlite's WebAssembly build, stored in the browser profile's
// origin-private file system). If the database cannot be opened (on the web: another tab of
// the same profile holds it), conversations are kept in memory and `persistent` says so.
//
//   const store = await openConversationStore()
//   await store.save(conversation)
//   const list = await store.list(hostKey)      // newest first
//   await store.remove(id); await store.close()

import type { Conversation } from './conversation'
import { MemoryConversations } from './memory-conversations'
import { SqliteConversations } from './sqlite-conversations'

export interface ConversationSummary {
  id: string
  title: string
  hostName: string
  updatedAt: number
  turnCount: number
}

export interface ConversationStore {
  /** false: the database could not be opened, so nothing outlives the app. */
  readonly persistent: boolean
  list(hostKey: string): Promise<ConversationSummary[]>
  load(id: string): Promise<Conversation | null>
  /** Writes the conversation and its turns as they are now (insert or replace). */
  save(conversation: Conversation): Promise<void>
  remove(id: string): Promise<void>
  close(): Promise<void>
}

export const DATABASE_NAME = 'localllm.db'

export async function openConversationStore(name = DATABASE_NAME): Promise<ConversationStore> {
  try {
    return await SqliteConversations.open(name)
  } catch {
    return new MemoryConversations()
  }
}
