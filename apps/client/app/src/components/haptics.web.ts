// The web preview has no haptics: expo-haptics would call navigator.vibrate, which desktop
// Chromium refuses (and logs) for a page the user has not tapped yet. See haptics.ts.

export function sentPrompt(): void {}

export function replyFinished(): void {}
