// The two taps the phone gives: a light one when a prompt goes out and a success one when
// the reply has finished (expo-haptics). haptics.web.ts makes them nothing in the browser.
//
//   sentPrompt()       // on Send, Retry, Regenerate
//   replyFinished()    // on the worklet's `end`
//
// Fire and forget: a phone with haptics off (or none) rejects, which is not an error.

import * as Haptics from 'expo-haptics'

export function sentPrompt(): void {
  void Haptics.impactAsync(Haptics.ImpactFeedbackStyle.Light).catch(() => undefined)
}

export function replyFinished(): void {
  void Haptics.notificationAsync(Haptics.NotificationFeedbackType.Success).catch(() => undefined)
}
