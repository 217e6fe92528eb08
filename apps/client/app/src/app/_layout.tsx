// The app's root: one worklet session shared by every screen, and the navigation stack.
import { Stack } from 'expo-router'
import { StatusBar } from 'expo-status-bar'
import { StyleSheet } from 'react-native'
import { GestureHandlerRootView } from 'react-native-gesture-handler'
import { SessionProvider } from '../state/session-provider'

export default function RootLayout() {
  return (
    <GestureHandlerRootView style={styles.root}>
      <SessionProvider>
        <StatusBar style='auto' />
        <Stack>
          <Stack.Screen name='index' options={{ title: 'LocalLLM' }} />
          <Stack.Screen name='chat' options={{ title: 'Chat' }} />
          <Stack.Screen name='debug' options={{ title: 'Debug log' }} />
          <Stack.Screen name='scan' options={{ title: 'Scan QR code' }} />
          <Stack.Screen name='connect/[id]' options={{ title: 'Connecting' }} />
        </Stack>
      </SessionProvider>
    </GestureHandlerRootView>
  )
}

const styles = StyleSheet.create({ root: { flex: 1 } })
