// One exchange of the transcript: the prompt, the reply as it streams, and how it ended.
// Long-pressing the prompt or the reply hands its text to `onCopy`.
import { Pressable, StyleSheet, Text, View } from 'react-native'
import type { Turn } from '../state/session-state'
import { Button } from './button'
import { ReplyMarkdown } from './reply-markdown'
import { useTheme } from './theme'

export function TurnView({
  turn,
  onRetry,
  onCopy
}: {
  turn: Turn
  onRetry: (prompt: string) => void
  onCopy: (text: string) => void
}) {
  const theme = useTheme()
  return (
    <View style={styles.turn}>
      <Pressable
        accessibilityLabel={`You: ${turn.prompt}`}
        accessibilityHint='Long-press to copy'
        accessibilityActions={[{ name: 'longpress', label: 'Copy' }]}
        onAccessibilityAction={() => onCopy(turn.prompt)}
        onLongPress={() => onCopy(turn.prompt)}
        style={[styles.prompt, { backgroundColor: theme.bubble }]}
      >
        <Text style={{ color: theme.bubbleText, fontSize: 16 }}>{turn.prompt}</Text>
      </Pressable>
      {turn.reply ? (
        <Pressable
          accessibilityHint='Long-press to copy the reply'
          accessibilityActions={[{ name: 'longpress', label: 'Copy' }]}
          onAccessibilityAction={() => onCopy(turn.reply)}
          onLongPress={() => onCopy(turn.reply)}
          testID={`reply-${turn.ref}`}
        >
          <ReplyMarkdown text={turn.reply} />
        </Pressable>
      ) : null}
      {turn.state === 'waiting' ? (
        <Text style={{ color: theme.muted }}>Waiting for the host…</Text>
      ) : null}
      {turn.state === 'loading_model' ? (
        <Text style={{ color: theme.muted }}>Loading model…</Text>
      ) : null}
      {turn.state === 'stopped' ? <Text style={{ color: theme.muted }}>Stopped</Text> : null}
      {turn.state === 'failed' && turn.error ? (
        <View accessibilityRole='alert' style={styles.failed}>
          <Text style={{ color: theme.danger }}>{turn.error.message}</Text>
          {turn.error.retryable ? (
            <Button title='Retry' kind='plain' onPress={() => onRetry(turn.prompt)} />
          ) : null}
        </View>
      ) : null}
      {turn.stats ? (
        <Text style={[styles.stats, { color: theme.muted }]}>
          {`first token ${Math.round(turn.stats.first_token_ms)} ms · ${turn.stats.tokens_per_second.toFixed(1)} tokens/s`}
        </Text>
      ) : null}
    </View>
  )
}

const styles = StyleSheet.create({
  turn: { gap: 8, marginBottom: 16 },
  prompt: { alignSelf: 'flex-end', maxWidth: '85%', padding: 10, borderRadius: 14 },
  failed: { gap: 4 },
  stats: { fontSize: 12 }
})
