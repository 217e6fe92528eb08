// A thinking model's reasoning, collapsed to one line that says how long it took: "Thinking…
// 4 s" while it goes on (counting), "Thought for 4 s" after. Tap to open or close it.
//
//   {turn.thinking ? <ThinkingView turn={turn} /> : null}
//
// The reasoning is shown only: it is never copied with the reply or sent back as history.
import { useEffect, useState } from 'react'
import { Pressable, StyleSheet, Text, View } from 'react-native'
import { isStreaming, type Turn } from '../state/conversation'
import { useTheme } from './theme'

export function thinkingLabel(turn: Turn, now: number): string {
  const started = turn.thinkingStartedAt ?? now
  const ms = turn.thinkingMs ?? Math.max(0, now - started)
  const seconds = Math.max(1, Math.round(ms / 1000))
  return turn.thinkingMs === undefined ? `Thinking… ${seconds} s` : `Thought for ${seconds} s`
}

export function ThinkingView({ turn }: { turn: Turn }) {
  const theme = useTheme()
  const [open, setOpen] = useState(false)
  const thinkingNow = turn.thinkingMs === undefined && isStreaming(turn)
  const [now, setNow] = useState(() => Date.now())
  // Counts the seconds only while the model is still thinking.
  useEffect(() => {
    if (!thinkingNow) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [thinkingNow])
  const label = thinkingLabel(turn, now)
  return (
    <View style={[styles.box, { borderColor: theme.surface }]}>
      <Pressable
        accessibilityRole='button'
        accessibilityLabel={label}
        accessibilityHint={open ? 'Hides the reasoning' : 'Shows the reasoning'}
        accessibilityState={{ expanded: open }}
        onPress={() => setOpen((o) => !o)}
        style={styles.header}
      >
        <Text style={{ color: theme.muted }}>{`${open ? '▾' : '▸'} ${label}`}</Text>
      </Pressable>
      {open ? (
        <Text selectable style={[styles.text, { color: theme.muted }]}>
          {turn.thinking.trim()}
        </Text>
      ) : null}
    </View>
  )
}

const styles = StyleSheet.create({
  box: { borderLeftWidth: 3, paddingLeft: 10, gap: 6 },
  header: { paddingVertical: 4 },
  text: { fontSize: 14, lineHeight: 20, fontStyle: 'italic' }
})
