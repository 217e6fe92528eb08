// The one button style of the app: a filled or plain text button with an accessible label;
// `small` for the actions under a message or a code block.
import { Pressable, StyleSheet, Text } from 'react-native'
import { useTheme } from './theme'

export function Button(props: {
  title: string
  onPress: () => void
  disabled?: boolean
  kind?: 'filled' | 'plain' | 'danger'
  small?: boolean
  /** Defaults to the title. */
  accessibilityLabel?: string
  testID?: string
}) {
  const theme = useTheme()
  const kind = props.kind ?? 'filled'
  const color = kind === 'danger' ? theme.danger : theme.accent
  return (
    <Pressable
      accessibilityRole='button'
      accessibilityLabel={props.accessibilityLabel}
      accessibilityState={{ disabled: !!props.disabled }}
      disabled={props.disabled}
      onPress={props.onPress}
      testID={props.testID}
      style={[
        styles.base,
        props.small && styles.small,
        kind === 'filled' && { backgroundColor: color },
        props.disabled && styles.disabled
      ]}
    >
      <Text
        style={[
          styles.text,
          props.small && styles.smallText,
          { color: kind === 'filled' ? '#ffffff' : color }
        ]}
      >
        {props.title}
      </Text>
    </Pressable>
  )
}

const styles = StyleSheet.create({
  base: { paddingHorizontal: 14, paddingVertical: 10, borderRadius: 10, alignItems: 'center' },
  small: { paddingHorizontal: 8, paddingVertical: 4 },
  disabled: { opacity: 0.4 },
  text: { fontSize: 16, fontWeight: '600' },
  smallText: { fontSize: 14 }
})
