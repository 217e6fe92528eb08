// The web preview's stand-in for the Keychain. A browser has no secret store (and
// expo-secure-store has no web implementation), and a Server ID grants access, so it is
// never written to localStorage: recent hosts live in memory for the tab's lifetime.
// (The device key is kept per browser profile instead: see device-key.web.ts.)

const memory = new Map<string, string>()

export const keychain = {
  get: (key: string): Promise<string | null> => Promise.resolve(memory.get(key) ?? null),
  set: (key: string, value: string, _options: { thisDeviceOnly?: boolean } = {}): Promise<void> => {
    memory.set(key, value)
    return Promise.resolve()
  }
}
