// Where Server IDs are kept on the phone: the iOS Keychain (Android Keystore), through
// expo-secure-store. keychain.web.ts replaces this in the web preview.
//
//   await keychain.set('localllm.recent-hosts', json)
//   const json = await keychain.get('localllm.recent-hosts')   // null when absent

import * as SecureStore from 'expo-secure-store'

export const keychain = {
  get: (key: string): Promise<string | null> => SecureStore.getItemAsync(key),
  set: (key: string, value: string): Promise<void> => SecureStore.setItemAsync(key, value)
}
