// An in-memory expo-secure-store: the tests read `keychain` to see what was stored.
export const keychain = new Map<string, string>()

export function getItemAsync(key: string): Promise<string | null> {
  return Promise.resolve(keychain.get(key) ?? null)
}

export function setItemAsync(key: string, value: string): Promise<void> {
  keychain.set(key, value)
  return Promise.resolve()
}

export function deleteItemAsync(key: string): Promise<void> {
  keychain.delete(key)
  return Promise.resolve()
}
