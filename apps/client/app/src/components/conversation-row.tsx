// One conversation in a host's list: its title (the first prompt), how many messages and
// when it was last used; tap to open it. Delete asks first, in the row itself (React Native
// Web has no Alert with buttons), so nothing is lost to a stray tap.
//
//   <ConversationRow summary={s} onOpen={() => open(s.id)} onDelete={() => remove(s.id)} />
import { useState } from 'react'
import { Pressable, StyleSheet, Text, View } from 'react-native'
import type { ConversationSummary } from '../state/conversation-store'
import { Button } from './button'
import { useTheme } from './theme'

export function ConversationRow({
  summary,
  now,
  onOpen,
  onDelete
}: {
  summary: ConversationSummary
  now: number
  onOpen: () => void
  onDelete: () => void
}) {
  const theme = useTheme()
  const [confirming, setConfirming] = useState(false)
  const title = summary.title || 'New conversation'
  if (confirming) {
    return (
      <View
        accessibilityRole='alert'
        style={[styles.row, styles.confirm, { backgroundColor: theme.surface }]}
      >
        <Text style={[styles.question, { color: theme.text }]}>
          {`Delete “${title}”? It is removed from this phone.`}
        </Text>
        <View style={styles.buttons}>
          <Button title='Cancel' kind='plain' small onPress={() => setConfirming(false)} />
          <Button
            title='Delete'
            kind='danger'
            small
            accessibilityLabel={`Yes, delete ${title}`}
            onPress={onDelete}
          />
        </View>
      </View>
    )
  }
  return (
    <View style={[styles.row, { backgroundColor: theme.surface }]}>
      <Pressable
        accessibilityRole='button'
        accessibilityLabel={`Open ${title}`}
        onPress={onOpen}
        style={styles.text}
      >
        <Text numberOfLines={2} style={[styles.title, { color: theme.text }]}>
          {title}
        </Text>
        <Text style={{ color: theme.muted }}>
          {`${summary.turnCount} message${summary.turnCount === 1 ? '' : 's'} · ${whenText(summary.updatedAt, now)}`}
        </Text>
      </Pressable>
      <Button
        title='Delete'
        kind='plain'
        small
        accessibilityLabel={`Delete ${title}`}
        onPress={() => setConfirming(true)}
      />
    </View>
  )
}

/** "just now", "5 min ago", "3 h ago", then the date. */
export function whenText(at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`
  return new Date(at).toLocaleDateString()
}

const styles = StyleSheet.create({
  row: {
    flexDirection: 'row',
    alignItems: 'center',
    padding: 12,
    borderRadius: 10,
    marginBottom: 8,
    gap: 8
  },
  confirm: { flexDirection: 'column', alignItems: 'stretch' },
  question: { fontSize: 15 },
  buttons: { flexDirection: 'row', justifyContent: 'flex-end', gap: 8 },
  text: { flex: 1, gap: 2 },
  title: { fontSize: 16, fontWeight: '600' }
})
