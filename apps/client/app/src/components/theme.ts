// Colours for light and dark mode, picked by the system setting (useColorScheme).
import { Platform, useColorScheme } from 'react-native'

const light = {
  dark: false,
  background: '#ffffff',
  surface: '#f2f2f7',
  text: '#111111',
  muted: '#6b6b70',
  accent: '#0a64d8',
  danger: '#c62828',
  warn: '#b26a00',
  ok: '#1e8e3e',
  bubble: '#0a64d8',
  bubbleText: '#ffffff'
}
const dark: typeof light = {
  dark: true,
  background: '#000000',
  surface: '#1c1c1e',
  text: '#f2f2f2',
  muted: '#9a9aa0',
  accent: '#4c9bff',
  danger: '#ff6b6b',
  warn: '#f0a030',
  ok: '#4cd964',
  bubble: '#2f6fd0',
  bubbleText: '#ffffff'
}

export type Theme = typeof light

export function useTheme(): Theme {
  return useColorScheme() === 'dark' ? dark : light
}

/** The monospaced font for code and log lines on each platform. */
export const MONO = Platform.select({
  ios: 'Menlo',
  android: 'monospace',
  default: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace'
})
