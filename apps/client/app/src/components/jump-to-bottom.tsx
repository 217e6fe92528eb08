// The round "↓" button over the transcript's bottom edge, shown while the reader has scrolled
// up from the newest line (see follow-bottom.ts). Pressing it goes back and follows again.
import { Pressable, StyleSheet, Text } from 'react-native'
import { useTheme } from './theme'

export function JumpToBottom({ onPress }: { onPress: () => void }) {
  const theme = useTheme()
  return (
    <Pressable
      accessibilityRole='button'
      accessibilityLabel='Jump to the latest message'
      onPress={onPress}
      style={[styles.button, { backgroundColor: theme.surface, borderColor: theme.muted }]}
    >
      <Text style={[styles.arrow, { color: theme.text }]}>↓</Text>
    </Pressable>
  )
}

const styles = StyleSheet.create({
  button: {
    position: 'absolute',
    right: 16,
    bottom: 12,
    width: 44,
    height: 44,
    borderRadius: 22,
    borderWidth: StyleSheet.hairlineWidth,
    alignItems: 'center',
    justifyContent: 'center',
    shadowColor: '#000000',
    shadowOpacity: 0.2,
    shadowRadius: 4,
    shadowOffset: { width: 0, height: 2 },
    elevation: 3
  },
  arrow: { fontSize: 22, fontWeight: '600' }
})
