// Where secrets are kept on the phone: the iOS Keychain (Android Keystore), through
// expo-secure-store. keychain.web.ts replaces this in the web preview.
//
//   await keychain.set('localllm.recent-hosts', json)
//   await keychain.set('localllm.device-seed', seed, { thisDeviceOnly: true })
//   const json = await keychain.get('localllm.recent-hosts')   // null when absent
//
// `thisDeviceOnly` keeps an item out of backups and off a new phone restored from one: the
// device key pair is this phone's identity, and a restored phone must pair as a new device.

import * as SecureStore from 'expo-secure-store'

export const keychain = {
  get: (key: string): Promise<string | null> => SecureStore.getItemAsync(key),
  set: (key: string, value: string, options: { thisDeviceOnly?: boolean } = {}): Promise<void> =>
    SecureStore.setItemAsync(
      key,
      value,
      options.thisDeviceOnly
        ? { keychainAccessible: SecureStore.AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY }
        : {}
    )
}
