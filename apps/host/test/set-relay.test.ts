// host.setRelay: the relay key the menu bar app sets, changes and clears while the host
// runs or is stopped; saved in host.json, told to devices in server_info.
import test from 'brittle'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import b4a from 'b4a'
import type { HostStatusName } from '../src/host.js'
import { startWorld } from './helpers/world.js'

const RELAY_A = b4a.alloc(32, 0xaa)
const RELAY_B = b4a.alloc(32, 0xbb)

async function savedRelay(configDir: string): Promise<unknown> {
  const stored = JSON.parse(await readFile(join(configDir, 'host.json'), 'utf8')) as {
    relay?: string
  }
  return stored.relay
}

test('setRelay on a running host: saved, the server restarts on it, devices come back and hear it', async (t) => {
  const w = await startWorld(t)
  const ana = await w.connect({ name: 'Ana' })
  const statuses: HostStatusName[] = []
  w.host.on('state', (s) => statuses.push(s.status))

  await w.host.setRelay(RELAY_A)
  t.is(w.host.state.relay, 'aa'.repeat(32))
  t.is(await savedRelay(w.configDir), 'aa'.repeat(32), 'in host.json')
  t.ok(statuses.includes('stopped') && statuses.at(-1) === 'ready', 'stopped, then ready again')
  await ana.waitClosed(5000)
  t.is(ana.info?.status, 'stopped', 'the device was told the host stopped')

  const back = await w.connect({ keyPair: ana.keyPair, name: 'Ana' })
  t.is(back.info?.relay, 'aa'.repeat(32), 'server_info carries the relay')
  t.is(w.host.state.serverId, w.serverId, 'the Server ID did not change')
})

test('the same relay again changes nothing; null stops using it', async (t) => {
  const w = await startWorld(t)
  await w.host.setRelay(RELAY_A)
  const statuses: HostStatusName[] = []
  w.host.on('state', (s) => statuses.push(s.status))
  await w.host.setRelay(b4a.from(RELAY_A))
  t.alike(statuses, [], 'no restart for the same key')

  await w.host.setRelay(null)
  t.is(w.host.state.relay, undefined)
  t.is(await savedRelay(w.configDir), undefined, 'gone from host.json')
  t.is(w.host.state.status, 'ready')
  const c = await w.connect()
  t.is(c.info?.relay, undefined, 'server_info has no relay')
})

test('setRelay replaces the relay given at construction, stopped or running', async (t) => {
  const w = await startWorld(t, { host: { relay: RELAY_A } })
  t.is(w.host.state.relay, 'aa'.repeat(32), 'the option is used')
  await w.host.setRelay(RELAY_B)
  t.is(w.host.state.relay, 'bb'.repeat(32), 'the restart keeps the new key, not the option')
  await w.host.stop()
  await w.host.setRelay(null)
  t.is(w.host.state.status, 'stopped', 'a stopped host stays stopped')
  await w.host.start()
  t.is(w.host.state.relay, undefined, 'applied at the next start')
  await t.exception.all(
    () => w.host.setRelay(b4a.alloc(31)),
    /32 bytes/,
    'a key of the wrong length is refused'
  )
})
