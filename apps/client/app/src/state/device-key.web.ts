// The web preview's device key, kept per browser profile in localStorage, so a reloaded page
// is the same device to the host (a new key each time would pair a new device per reload).
// It is a device key, not a Server ID: on its own it lets nobody in, and the preview is a
// development tool; the phone keeps it in the Keychain (device-key.ts).

export const DEVICE_SEED_KEY = 'localllm.device-seed'
const SEED = /^[0-9a-f]{64}$/

export function loadDeviceSeed(): Promise<string | null> {
  try {
    const seed = globalThis.localStorage?.getItem(DEVICE_SEED_KEY) ?? null
    return Promise.resolve(seed && SEED.test(seed) ? seed : null)
  } catch {
    return Promise.resolve(null) // storage turned off: a new key per page
  }
}

export function saveDeviceSeed(seed: string): Promise<void> {
  try {
    globalThis.localStorage?.setItem(DEVICE_SEED_KEY, seed)
  } catch {
    // storage turned off or full: the key lives as long as the page
  }
  return Promise.resolve()
}
