// The part of sql.js (SQLite compiled to JavaScript) that test/helpers/sqlite.ts uses.
declare module 'sql.js/dist/sql-wasm.js' {
  export type SqlValue = string | number | null | Uint8Array
  export interface Statement {
    bind(values: SqlValue[]): boolean
    step(): boolean
    getAsObject(): Record<string, SqlValue>
    free(): boolean
  }
  export interface Database {
    exec(sql: string): unknown
    run(sql: string, params?: SqlValue[]): Database
    prepare(sql: string): Statement
    getRowsModified(): number
  }
  export interface SqlJsStatic {
    Database: new () => Database
  }
  export default function initSqlJs(): Promise<SqlJsStatic>
}
