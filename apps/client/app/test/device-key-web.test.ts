// The web preview keeps its device key per browser profile (localStorage), so a reloaded
// page is the same device to the host; the phone keeps it in the Keychain.
import { DEVICE_SEED_KEY, loadDeviceSeed, saveDeviceSeed } from '../src/state/device-key.web'

const storage = new Map<string, string>()
beforeEach(() => {
  storage.clear()
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    value: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v)
    }
  })
})
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage
})

test('the seed survives a reload of the page (per browser profile)', async () => {
  expect(await loadDeviceSeed()).toBeNull()
  await saveDeviceSeed('c3'.repeat(32))
  expect(storage.get(DEVICE_SEED_KEY)).toBe('c3'.repeat(32))
  expect(await loadDeviceSeed()).toBe('c3'.repeat(32))
})

test('anything else in that slot is ignored (a new key is made)', async () => {
  storage.set(DEVICE_SEED_KEY, 'not a seed')
  expect(await loadDeviceSeed()).toBeNull()
})
