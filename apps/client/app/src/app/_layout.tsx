// The app's root: one worklet session shared by every screen, and the navigation stack,
// themed (header, back arrow, backgrounds) for the system's light or dark mode.
import { DarkTheme, DefaultTheme, Stack, ThemeProvider } from 'expo-router'
import { StatusBar } from 'expo-status-bar'
import { StyleSheet, useColorScheme } from 'react-native'
import { GestureHandlerRootView } from 'react-native-gesture-handler'
import { useTheme } from '../components/theme'
import { SessionProvider } from '../state/session-provider'

// A page opened at /chat or /chats (a reload in the web preview) still has the Connect
// screen to go back to.
export const unstable_settings = { initialRouteName: 'index' }

export default function RootLayout() {
  const dark = useColorScheme() === 'dark'
  const theme = useTheme()
  const base = dark ? DarkTheme : DefaultTheme
  const navigationTheme = {
    ...base,
    colors: {
      ...base.colors,
      primary: theme.accent,
      background: theme.background,
      card: theme.background,
      text: theme.text
    }
  }
  return (
    <GestureHandlerRootView style={styles.root}>
      <ThemeProvider value={navigationTheme}>
        <SessionProvider>
          <StatusBar style='auto' />
          <Stack>
            <Stack.Screen name='index' options={{ title: 'LocalLLM' }} />
            <Stack.Screen name='chats' options={{ title: 'Conversations' }} />
            <Stack.Screen name='chat' options={{ title: 'Chat' }} />
            <Stack.Screen name='debug' options={{ title: 'Debug log' }} />
            <Stack.Screen name='scan' options={{ title: 'Scan QR code' }} />
            <Stack.Screen name='connect/[id]' options={{ title: 'Connecting' }} />
          </Stack>
        </SessionProvider>
      </ThemeProvider>
    </GestureHandlerRootView>
  )
}

const styles = StyleSheet.create({ root: { flex: 1 } })
