// An in-memory expo-secure-store: the tests read `keychain` to see what was stored, and
// `keychainOptions` to see how (e.g. this-device-only for the device key).
export const keychain = new Map<string, string>()
export const keychainOptions = new Map<string, unknown>()

export const AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY = 'AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY'

export function getItemAsync(key: string): Promise<string | null> {
  return Promise.resolve(keychain.get(key) ?? null)
}

export function setItemAsync(key: string, value: string, options: unknown = {}): Promise<void> {
  keychain.set(key, value)
  keychainOptions.set(key, options)
  return Promise.resolve()
}

export function deleteItemAsync(key: string): Promise<void> {
  keychain.delete(key)
  return Promise.resolve()
}
