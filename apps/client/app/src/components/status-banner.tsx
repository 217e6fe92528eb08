// The line under the chat header that says why the host can't answer now (not connected,
// Ollama stopped, the model missing) or, calmly, that it is answering someone else.
//
//   {status.banner ? <StatusBanner text={status.banner} calm={status.calm} /> : null}
import { StyleSheet, Text, View } from 'react-native'
import { useTheme } from './theme'

export function StatusBanner({ text, calm }: { text: string; calm: boolean }) {
  const theme = useTheme()
  return (
    <View
      accessibilityRole='alert'
      testID='status-banner'
      style={[styles.banner, { backgroundColor: calm ? theme.surface : theme.warn }]}
    >
      <Text style={[styles.text, { color: calm ? theme.text : '#ffffff' }]}>{text}</Text>
    </View>
  )
}

const styles = StyleSheet.create({
  banner: { paddingVertical: 10, paddingHorizontal: 14 },
  text: { fontWeight: '600', textAlign: 'center' }
})
