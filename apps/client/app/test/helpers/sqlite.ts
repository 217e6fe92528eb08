// Stands in for expo-sqlite at the module edge with a real SQLite: sql.js (SQLite compiled to
// JavaScript), so the app's SQL runs as written. A database is kept by name until reset(),
// so an unmounted and re-rendered app finds what it saved, like a file on the phone.
//
//   sqlite.failOpen = true        // the next opens fail (another tab holds the database)
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js/dist/sql-wasm.js'

let engine: Promise<SqlJsStatic> | null = null

export const sqlite = {
  files: new Map<string, Database>(),
  failOpen: false,
  reset() {
    sqlite.files.clear()
    sqlite.failOpen = false
  }
}

type Params = SqlValue[] | [SqlValue[]]

function paramsOf(args: Params): SqlValue[] {
  return Array.isArray(args[0]) ? args[0] : (args as SqlValue[])
}

class FakeDatabase {
  readonly #db: Database
  constructor(db: Database) {
    this.#db = db
  }
  execAsync(source: string): Promise<void> {
    this.#db.exec(source)
    return Promise.resolve()
  }
  runAsync(source: string, ...args: Params) {
    this.#db.run(source, paramsOf(args))
    return Promise.resolve({ changes: this.#db.getRowsModified(), lastInsertRowId: 0 })
  }
  getAllAsync<T>(source: string, ...args: Params): Promise<T[]> {
    const statement = this.#db.prepare(source)
    try {
      statement.bind(paramsOf(args))
      const rows: T[] = []
      while (statement.step()) rows.push(statement.getAsObject() as T)
      return Promise.resolve(rows)
    } finally {
      statement.free()
    }
  }
  async getFirstAsync<T>(source: string, ...args: Params): Promise<T | null> {
    return (await this.getAllAsync<T>(source, ...args))[0] ?? null
  }
  async withTransactionAsync(task: () => Promise<void>): Promise<void> {
    this.#db.exec('BEGIN')
    try {
      await task()
      this.#db.exec('COMMIT')
    } catch (err) {
      this.#db.exec('ROLLBACK')
      throw err
    }
  }
  closeAsync(): Promise<void> {
    return Promise.resolve()
  }
}

export async function openDatabaseAsync(name: string): Promise<FakeDatabase> {
  if (sqlite.failOpen) throw new Error('NoModificationAllowedError: the database is open elsewhere')
  const SQL = await (engine ??= initSqlJs())
  let db = sqlite.files.get(name)
  if (!db) {
    db = new SQL.Database()
    sqlite.files.set(name, db)
  }
  return new FakeDatabase(db)
}
