// Hands a message's plain text to the system share sheet (React Native's Share). In a
// browser that has no share sheet (navigator.share), the Share button is not offered.
//
//   if (canShare()) await shareText(plainText(turn.reply))

import { Platform, Share } from 'react-native'

export function canShare(): boolean {
  if (Platform.OS !== 'web') return true
  return typeof (globalThis.navigator as { share?: unknown } | undefined)?.share === 'function'
}

export async function shareText(text: string): Promise<void> {
  // Dismissing the sheet is not an error; a refusal from the system is not one to show.
  await Share.share({ message: text }).catch(() => undefined)
}
