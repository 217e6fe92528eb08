// This phone's device key: the seed of the key pair the host knows this device by, kept in
// the Keychain (this device only: a phone restored from a backup pairs as a new device).
// The worklet makes the key on the first `connect` without a seed and sends it back in a
// `device` event; from then on every `connect` carries it. device-key.web.ts keeps it per
// browser profile instead.
//
//   const seed = await loadDeviceSeed()     // null before the first connect
//   await saveDeviceSeed(event.seed)        // on the worklet's `device` event

import { keychain } from './keychain'

export const DEVICE_SEED_KEY = 'localllm.device-seed'
const SEED = /^[0-9a-f]{64}$/

export async function loadDeviceSeed(): Promise<string | null> {
  const seed = await keychain.get(DEVICE_SEED_KEY).catch(() => null)
  return seed && SEED.test(seed) ? seed : null
}

export function saveDeviceSeed(seed: string): Promise<void> {
  return keychain.set(DEVICE_SEED_KEY, seed, { thisDeviceOnly: true })
}
