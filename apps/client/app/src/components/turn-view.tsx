// One exchange of the transcript: the prompt, the reasoning (collapsed), the reply as it
// streams, and how it ended: Copy and Share (plain text) under a finished reply, Regenerate
// under the last one, and a failed reply as a sentence with Retry, which replaces it.
//
//   <TurnView turn={turn} last onRetry={retry} onRegenerate={regen} canSend onCopyPrompt={copy} />
import { StyleSheet, Text, View } from 'react-native'
import { isStreaming, type Turn } from '../state/conversation'
import { plainText } from '../state/plain-text'
import { Button } from './button'
import { CopyButton } from './copy-button'
import { PromptBubble } from './prompt-bubble'
import { ReplyMarkdown } from './reply-markdown'
import { canShare, shareText } from './share-text'
import { ThinkingView } from './thinking-view'
import { useTheme } from './theme'

export const DROPPED_NOTE =
  "Earlier messages weren't sent: the conversation is too long for one request."

export function TurnView({
  turn,
  last,
  canSend,
  onRetry,
  onRegenerate,
  onCopyPrompt
}: {
  turn: Turn
  /** The newest turn: it offers Regenerate. */
  last: boolean
  /** The host would answer a prompt now (Retry and Regenerate need it). */
  canSend: boolean
  onRetry: (turn: Turn) => void
  onRegenerate: () => void
  onCopyPrompt: (text: string) => void
}) {
  const theme = useTheme()
  const finished = !isStreaming(turn)
  return (
    <View style={styles.turn}>
      <PromptBubble text={turn.prompt} onCopy={onCopyPrompt} />
      {turn.droppedTurns ? (
        <Text style={[styles.note, { color: theme.muted }]}>{DROPPED_NOTE}</Text>
      ) : null}
      {turn.thinking ? <ThinkingView turn={turn} /> : null}
      {turn.reply ? (
        <View testID={`reply-${turn.ref}`}>
          <ReplyMarkdown text={turn.reply} />
        </View>
      ) : null}
      {turn.state === 'waiting' ? (
        <Text style={{ color: theme.muted }}>Waiting for the host…</Text>
      ) : null}
      {turn.state === 'loading_model' ? (
        <Text style={{ color: theme.muted }}>Loading the model…</Text>
      ) : null}
      {turn.state === 'stopped' ? <Text style={{ color: theme.muted }}>Stopped</Text> : null}
      {turn.state === 'failed' && turn.error ? (
        <View
          accessibilityRole='alert'
          style={[styles.failed, { backgroundColor: theme.surface, borderColor: theme.danger }]}
        >
          <Text style={{ color: theme.text }}>{turn.error.message}</Text>
          {turn.error.retryable ? (
            <Button
              title='Retry'
              kind='plain'
              small
              disabled={!canSend}
              onPress={() => onRetry(turn)}
            />
          ) : null}
        </View>
      ) : null}
      {finished && turn.reply ? (
        <View style={styles.actions}>
          <CopyButton text={() => plainText(turn.reply)} accessibilityLabel='Copy the reply' />
          {canShare() ? (
            <Button
              title='Share'
              kind='plain'
              small
              accessibilityLabel='Share the reply'
              onPress={() => void shareText(plainText(turn.reply))}
            />
          ) : null}
          {last && turn.state !== 'failed' ? (
            <Button
              title='Regenerate'
              kind='plain'
              small
              disabled={!canSend}
              accessibilityLabel='Regenerate the reply'
              onPress={onRegenerate}
            />
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
  note: { fontSize: 13, fontStyle: 'italic' },
  failed: {
    gap: 6,
    padding: 10,
    borderRadius: 12,
    borderLeftWidth: 3,
    alignItems: 'flex-start'
  },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 4, marginLeft: -8 },
  stats: { fontSize: 12 }
})
