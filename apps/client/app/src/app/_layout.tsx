// The app's root: one worklet session shared by every screen, and the navigation stack.
import { Stack } from 'expo-router'
import { StatusBar } from 'expo-status-bar'
import { SessionProvider } from '../state/session-provider'

export default function RootLayout() {
  return (
    <SessionProvider>
      <StatusBar style='auto' />
      <Stack>
        <Stack.Screen name='index' options={{ title: 'LocalLLM' }} />
        <Stack.Screen name='chat' options={{ title: 'Chat' }} />
        <Stack.Screen name='connect/[id]' options={{ title: 'Connecting' }} />
      </Stack>
    </SessionProvider>
  )
}
