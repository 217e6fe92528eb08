// Conversations in SQLite (expo-sqlite): one row per conversation, one per turn, filed under
// the host's public key. The schema is versioned with `PRAGMA user_version`, so a later app
// adds a step to MIGRATIONS and existing phones are brought along.
//
//   const store = await SqliteConversations.open('localllm.db')
//   await store.save(conversation)   // one transaction: the conversation and its turns
//
// Every call runs after the one before it (a promise chain): expo-sqlite's
// withTransactionAsync does not keep other queries out of a transaction that is under way.

import * as SQLite from 'expo-sqlite'
import { settled, type Conversation, type Turn } from './conversation'
import type { ConversationStore, ConversationSummary } from './conversation-store'

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE conversations (
     id TEXT PRIMARY KEY NOT NULL,
     host_key TEXT NOT NULL,
     host_name TEXT NOT NULL,
     model TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX conversations_by_host ON conversations (host_key, updated_at);
   CREATE TABLE turns (
     conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
     position INTEGER NOT NULL,
     ref TEXT NOT NULL,
     prompt TEXT NOT NULL,
     reply TEXT NOT NULL,
     thinking TEXT NOT NULL,
     state TEXT NOT NULL,
     meta TEXT NOT NULL,
     PRIMARY KEY (conversation_id, position)
   );`
]

interface ConversationRow {
  id: string
  host_key: string
  host_name: string
  model: string
  title: string
  created_at: number
  updated_at: number
}

interface TurnRow {
  ref: string
  prompt: string
  reply: string
  thinking: string
  state: Turn['state']
  meta: string
}

// The rarely-read parts of a turn, as JSON in `meta`.
type TurnMeta = Omit<Turn, 'ref' | 'prompt' | 'reply' | 'thinking' | 'state'>

export class SqliteConversations implements ConversationStore {
  readonly persistent = true
  readonly #db: SQLite.SQLiteDatabase
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false

  private constructor(db: SQLite.SQLiteDatabase) {
    this.#db = db
  }

  static async open(name: string): Promise<SqliteConversations> {
    const db = await SQLite.openDatabaseAsync(name)
    try {
      await db.execAsync('PRAGMA foreign_keys = ON')
      const row = await db.getFirstAsync<{ user_version: number }>('PRAGMA user_version')
      const version = row?.user_version ?? 0
      if (version > MIGRATIONS.length) throw new Error(`database version ${version} is newer`)
      for (let step = version; step < MIGRATIONS.length; step++) {
        await db.withTransactionAsync(async () => {
          await db.execAsync(MIGRATIONS[step] as string)
          await db.execAsync(`PRAGMA user_version = ${step + 1}`)
        })
      }
    } catch (err) {
      await db.closeAsync().catch(() => undefined)
      throw err
    }
    return new SqliteConversations(db)
  }

  list(hostKey: string): Promise<ConversationSummary[]> {
    return this.#run(async () => {
      const rows = await this.#db.getAllAsync<ConversationRow & { turn_count: number }>(
        `SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS turn_count
           FROM conversations c WHERE c.host_key = ? ORDER BY c.updated_at DESC`,
        [hostKey]
      )
      return rows.map((row) => ({
        id: row.id,
        title: row.title,
        hostName: row.host_name,
        updatedAt: row.updated_at,
        turnCount: row.turn_count
      }))
    })
  }

  load(id: string): Promise<Conversation | null> {
    return this.#run(async () => {
      const row = await this.#db.getFirstAsync<ConversationRow>(
        'SELECT * FROM conversations WHERE id = ?',
        [id]
      )
      if (!row) return null
      const turns = await this.#db.getAllAsync<TurnRow>(
        'SELECT ref, prompt, reply, thinking, state, meta FROM turns WHERE conversation_id = ? ORDER BY position',
        [id]
      )
      return settled({
        id: row.id,
        hostKey: row.host_key,
        hostName: row.host_name,
        model: row.model,
        title: row.title,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        turns: turns.map(turnOf)
      })
    })
  }

  save(conversation: Conversation): Promise<void> {
    return this.#run(() =>
      this.#db.withTransactionAsync(async () => {
        const c = conversation
        await this.#db.runAsync(
          `INSERT INTO conversations (id, host_key, host_name, model, title, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET host_name = excluded.host_name, model = excluded.model,
             title = excluded.title, updated_at = excluded.updated_at`,
          [c.id, c.hostKey, c.hostName, c.model, c.title, c.createdAt, c.updatedAt]
        )
        for (const [position, turn] of c.turns.entries()) {
          const { ref, prompt, reply, thinking, state, ...meta } = turn
          await this.#db.runAsync(
            `INSERT OR REPLACE INTO turns
               (conversation_id, position, ref, prompt, reply, thinking, state, meta)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [c.id, position, ref, prompt, reply, thinking, state, JSON.stringify(meta)]
          )
        }
        await this.#db.runAsync('DELETE FROM turns WHERE conversation_id = ? AND position >= ?', [
          c.id,
          c.turns.length
        ])
      })
    )
  }

  remove(id: string): Promise<void> {
    return this.#run(async () => {
      await this.#db.runAsync('DELETE FROM conversations WHERE id = ?', [id])
    })
  }

  close(): Promise<void> {
    if (this.#closed) return this.#queue.then(() => undefined)
    this.#closed = true
    return this.#chain(() => this.#db.closeAsync())
  }

  #run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the conversation store is closed'))
    return this.#chain(task)
  }

  #chain<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task, task)
    this.#queue = result.catch(() => undefined)
    return result
  }
}

function turnOf(row: TurnRow): Turn {
  let meta: TurnMeta = {}
  try {
    meta = JSON.parse(row.meta) as TurnMeta
  } catch {
    // a damaged row still shows its text
  }
  return {
    ...meta,
    ref: row.ref,
    prompt: row.prompt,
    reply: row.reply,
    thinking: row.thinking,
    state: row.state
  }
}
