// Settings in the app-data folder: defaults first, changes kept across launches, and a
// damaged file never stops the app.
import test from 'brittle'
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_SETTINGS, SettingsStore } from '../src/settings.js'
import { tempDir } from '@localllm/testing'

test('a first launch gets the defaults and writes nothing', async (t) => {
  const dir = join(await tempDir(t), 'LocalLLM')
  const store = new SettingsStore(dir)
  t.alike(await store.load(), { ...DEFAULT_SETTINGS })
  await t.exception(stat(store.file), 'no file until something changes')
})

test('display name, model, open at login and running at last quit survive a restart', async (t) => {
  const dir = join(await tempDir(t), 'LocalLLM')
  const first = new SettingsStore(dir)
  await first.load()
  await first.update({ displayName: 'Studio Mac', model: 'qwen3:8b' })
  await first.update({ openAtLogin: true, runningAtLastQuit: true })
  const again = await new SettingsStore(dir).load()
  t.alike(again, {
    displayName: 'Studio Mac',
    model: 'qwen3:8b',
    openAtLogin: true,
    runningAtLastQuit: true
  })
  const mode = (await stat(first.file)).mode & 0o777
  t.is(mode, 0o600, 'readable by the owner only')
})

test('quick updates land in order', async (t) => {
  const dir = await tempDir(t)
  const store = new SettingsStore(dir)
  await Promise.all([
    store.update({ model: 'a' }),
    store.update({ model: 'b' }),
    store.update({ openAtLogin: true })
  ])
  const stored = JSON.parse(await readFile(store.file, 'utf8')) as Record<string, unknown>
  t.is(stored.model, 'b')
  t.is(stored.open_at_login, true)
})

test('a damaged file or wrong field types fall back to the defaults', async (t) => {
  const dir = await tempDir(t)
  await mkdir(dir, { recursive: true })
  const store = new SettingsStore(dir)
  await writeFile(store.file, '{ not json')
  t.alike(await store.load(), { ...DEFAULT_SETTINGS })
  await writeFile(
    store.file,
    JSON.stringify({ model: 7, open_at_login: 'yes', display_name: 'Ok' })
  )
  t.alike(await store.load(), { ...DEFAULT_SETTINGS, displayName: 'Ok' })
})
