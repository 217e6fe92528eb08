// The friend's own message, right-aligned. A long prompt (a pasted document) is cut to a few
// lines with "Show more", so the reply stays in view. Long-press (or the accessibility
// action) copies it.
//
//   <PromptBubble text={turn.prompt} onCopy={copy} />
import { useState } from 'react'
import { Pressable, StyleSheet, Text, View } from 'react-native'
import { useTheme } from './theme'

export const COLLAPSED_LINES = 6
const LONG_CHARS = 400

export function isLongPrompt(text: string): boolean {
  return text.length > LONG_CHARS || text.split('\n').length > COLLAPSED_LINES
}

export function PromptBubble({ text, onCopy }: { text: string; onCopy: (text: string) => void }) {
  const theme = useTheme()
  const long = isLongPrompt(text)
  const [expanded, setExpanded] = useState(false)
  const collapsed = long && !expanded
  return (
    <View style={styles.column}>
      <Pressable
        accessibilityLabel={`You: ${text}`}
        accessibilityHint='Long-press to copy'
        accessibilityActions={[{ name: 'longpress', label: 'Copy' }]}
        onAccessibilityAction={() => onCopy(text)}
        onLongPress={() => onCopy(text)}
        style={[styles.bubble, { backgroundColor: theme.bubble }]}
      >
        <Text
          {...(collapsed ? { numberOfLines: COLLAPSED_LINES } : {})}
          style={{ color: theme.bubbleText, fontSize: 16 }}
        >
          {text}
        </Text>
      </Pressable>
      {long ? (
        <Pressable
          accessibilityRole='button'
          accessibilityState={{ expanded }}
          onPress={() => setExpanded((e) => !e)}
          style={styles.more}
        >
          <Text style={{ color: theme.accent, fontWeight: '600' }}>
            {expanded ? 'Show less' : 'Show more'}
          </Text>
        </Pressable>
      ) : null}
    </View>
  )
}

const styles = StyleSheet.create({
  column: { alignSelf: 'flex-end', maxWidth: '85%', alignItems: 'flex-end', gap: 2 },
  bubble: { padding: 10, borderRadius: 14 },
  more: { paddingVertical: 4, paddingHorizontal: 6 }
})
