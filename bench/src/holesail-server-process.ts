// A holesail server as its own process, for the cross-process connect measurements.
// Started by holesail.ts with its options as JSON in argv[2]; sends `{ key }` over IPC once
// listening, and stops on SIGTERM.

import { startHolesailServer, type HolesailOptions } from './holesail.js'

const options = JSON.parse(process.argv[2] ?? '{}') as HolesailOptions
const server = await startHolesailServer(options)
process.send?.({ key: server.key })
process.once('SIGTERM', () => {
  void server.close().finally(() => process.exit(0))
})
