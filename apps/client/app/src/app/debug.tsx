// The hidden debug screen (long-press the chat header): how the connection reaches the host
// and the worklet's last log lines, copyable. Server IDs are blanked out of what is shown
// and copied: an ID grants access.
import * as Clipboard from 'expo-clipboard'
import { useEffect, useRef, useState } from 'react'
import { FlatList, StyleSheet, Text, View } from 'react-native'
import { Button } from '../components/button'
import { MONO, useTheme } from '../components/theme'
import { useSession } from '../state/session-provider'
import type { ConnectionPath } from '../state/session-state'

export default function DebugScreen() {
  const theme = useTheme()
  const { state, redact } = useSession()
  const [copied, setCopied] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    []
  )
  const lines = state.logs.map((line) => `${line.level} ${redact(line.msg)}`)
  const path = state.path ? pathWords(state.path) : null

  const copy = async () => {
    await Clipboard.setStringAsync([...(path ? [path] : []), ...lines].join('\n'))
    setCopied(true)
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => setCopied(false), 1500)
  }

  return (
    <View style={[styles.screen, { backgroundColor: theme.background }]}>
      <View style={styles.bar}>
        <Text style={[styles.count, { color: theme.muted }]}>
          {`${lines.length} log line${lines.length === 1 ? '' : 's'} (last 200)`}
        </Text>
        <Button
          title={copied ? 'Copied' : 'Copy'}
          kind='plain'
          disabled={lines.length === 0}
          onPress={() => void copy()}
        />
      </View>
      {path ? <Text style={[styles.path, { color: theme.text }]}>{path}</Text> : null}
      <FlatList
        data={lines}
        keyExtractor={(_line, index) => String(index)}
        ListEmptyComponent={<Text style={{ color: theme.muted }}>No log lines yet.</Text>}
        contentContainerStyle={styles.list}
        renderItem={({ item }) => (
          <Text selectable style={[styles.line, { color: theme.text }]}>
            {item}
          </Text>
        )}
      />
    </View>
  )
}

/** "Connected directly (private network) in 230 ms", or through the host's relay. */
export function pathWords(path: ConnectionPath): string {
  const how = path.path === 'relayed' ? "through the host's relay" : 'directly'
  const where = path.remote === 'unknown' ? '' : ` (${path.remote} address)`
  return `Connected ${how}${where} in ${Math.round(path.connect_ms)} ms`
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  bar: {
    flexDirection: 'row',
    alignItems: 'center',
    justifyContent: 'space-between',
    paddingHorizontal: 16,
    paddingVertical: 8,
    gap: 8
  },
  // Wraps with large text rather than pushing Copy off the screen.
  count: { flexShrink: 1 },
  list: { paddingHorizontal: 16, paddingBottom: 24 },
  path: { paddingHorizontal: 16, paddingBottom: 8, fontSize: 14 },
  line: { fontFamily: MONO, fontSize: 12, marginBottom: 4 }
})
