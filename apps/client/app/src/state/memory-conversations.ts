// Conversations kept in memory only: what the app falls back to when its database cannot be
// opened, so chatting still works (the Conversations screen says nothing will be kept).
//
//   const store = new MemoryConversations()   // a ConversationStore with persistent = false

import { settled, type Conversation } from './conversation'
import type { ConversationStore, ConversationSummary } from './conversation-store'

export class MemoryConversations implements ConversationStore {
  readonly persistent = false
  readonly #conversations = new Map<string, Conversation>()

  list(hostKey: string): Promise<ConversationSummary[]> {
    const list = [...this.#conversations.values()]
      .filter((c) => c.hostKey === hostKey)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({
        id: c.id,
        title: c.title,
        hostName: c.hostName,
        updatedAt: c.updatedAt,
        turnCount: c.turns.length
      }))
    return Promise.resolve(list)
  }

  load(id: string): Promise<Conversation | null> {
    const conversation = this.#conversations.get(id)
    return Promise.resolve(conversation ? settled(conversation) : null)
  }

  save(conversation: Conversation): Promise<void> {
    this.#conversations.set(conversation.id, conversation)
    return Promise.resolve()
  }

  remove(id: string): Promise<void> {
    this.#conversations.delete(id)
    return Promise.resolve()
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
