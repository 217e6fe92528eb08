// The Chat screen: the host and model in the header, the transcript with streaming
// Markdown replies, and the prompt box with its byte counter, Send/Stop and Clear.
import * as Clipboard from 'expo-clipboard'
import { Stack, useRouter } from 'expo-router'
import { useEffect, useRef, useState } from 'react'
import { FlatList, Pressable, StyleSheet, Text, TextInput, View } from 'react-native'
import { Button } from '../components/button'
import { useTheme, type Theme } from '../components/theme'
import { TurnView } from '../components/turn-view'
import { promptLimit } from '../state/prompt-limit'
import { useSession } from '../state/session-provider'
import { isStreaming, type SessionState } from '../state/session-state'

/** How long the "Copied" confirmation stays after a long-press copy. */
export const COPIED_MS = 1500

export default function ChatScreen() {
  const theme = useTheme()
  const router = useRouter()
  const { state, send, stop, clear } = useSession()
  const [prompt, setPrompt] = useState('')
  const [copied, setCopied] = useState(false)
  const copiedTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (copiedTimer.current) clearTimeout(copiedTimer.current)
    },
    []
  )
  const copy = async (text: string) => {
    await Clipboard.setStringAsync(text)
    setCopied(true)
    if (copiedTimer.current) clearTimeout(copiedTimer.current)
    copiedTimer.current = setTimeout(() => setCopied(false), COPIED_MS)
  }
  const limit = promptLimit(prompt, state.info?.limits.max_prompt_bytes || undefined)
  const active = state.turns.find(isStreaming)
  const canSend =
    state.status === 'connected' && !active && prompt.trim() !== '' && limit.level !== 'over'

  return (
    <View style={[styles.screen, { backgroundColor: theme.background }]}>
      <Stack.Screen
        options={{
          headerTitle: () => (
            <Header state={state} theme={theme} onLongPress={() => router.push('/debug')} />
          )
        }}
      />
      {state.status === 'reconnecting' || state.status === 'offline' ? (
        <View accessibilityRole='alert' style={[styles.banner, { backgroundColor: theme.warn }]}>
          <Text style={styles.bannerText}>
            {state.status === 'reconnecting'
              ? 'Connection lost. Reconnecting…'
              : "The host isn't reachable. Still trying…"}
          </Text>
        </View>
      ) : null}
      <FlatList
        style={styles.list}
        contentContainerStyle={styles.listContent}
        data={state.turns}
        keyExtractor={(turn) => turn.ref}
        renderItem={({ item }) => (
          <TurnView turn={item} onRetry={(text) => send(text)} onCopy={(text) => void copy(text)} />
        )}
      />
      {copied ? (
        <View pointerEvents='none' style={styles.toast}>
          <Text accessibilityLiveRegion='polite' style={styles.toastText}>
            Copied
          </Text>
        </View>
      ) : null}
      <View style={styles.composer}>
        <TextInput
          accessibilityLabel='Prompt'
          placeholder='Ask something'
          placeholderTextColor={theme.muted}
          multiline
          value={prompt}
          onChangeText={setPrompt}
          style={[styles.input, { color: theme.text, backgroundColor: theme.surface }]}
        />
        <Text
          accessibilityLabel='Prompt size'
          style={{
            color:
              limit.level === 'over'
                ? theme.danger
                : limit.level === 'warn'
                  ? theme.warn
                  : theme.muted
          }}
        >
          {limit.level === 'over'
            ? `${limit.bytes} / ${limit.max} bytes — too long to send, shorten it`
            : `${limit.bytes} / ${limit.max} bytes`}
        </Text>
        <View style={styles.actions}>
          <Button title='Clear' kind='plain' disabled={state.turns.length === 0} onPress={clear} />
          {active ? (
            <Button title='Stop' kind='danger' onPress={() => stop(active.ref)} />
          ) : (
            <Button
              title='Send'
              disabled={!canSend}
              onPress={() => {
                send(prompt)
                setPrompt('')
              }}
            />
          )}
        </View>
      </View>
    </View>
  )
}

// Long-pressing the header opens the hidden debug screen.
function Header({
  state,
  theme,
  onLongPress
}: {
  state: SessionState
  theme: Theme
  onLongPress: () => void
}) {
  const busy = state.turns.some(isStreaming) || state.info?.status === 'busy'
  const dot = state.status !== 'connected' ? theme.warn : busy ? theme.accent : theme.ok
  const words = state.status !== 'connected' ? 'reconnecting' : busy ? 'busy' : 'ready'
  return (
    <Pressable
      accessibilityLabel={`${state.info?.host_name ?? 'Host'}, ${words}`}
      onLongPress={onLongPress}
      delayLongPress={600}
      style={styles.header}
    >
      <View style={[styles.dot, { backgroundColor: dot }]} />
      <View>
        <Text style={[styles.hostName, { color: theme.text }]}>
          {state.info?.host_name ?? 'Host'}
        </Text>
        <Text style={{ color: theme.muted, fontSize: 12 }}>{state.info?.model ?? ''}</Text>
      </View>
    </Pressable>
  )
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  banner: { padding: 10 },
  bannerText: { color: '#ffffff', fontWeight: '600', textAlign: 'center' },
  list: { flex: 1 },
  listContent: { padding: 16 },
  composer: { padding: 12, gap: 6 },
  input: { fontSize: 16, padding: 12, borderRadius: 10, maxHeight: 160 },
  actions: { flexDirection: 'row', justifyContent: 'space-between' },
  header: { flexDirection: 'row', alignItems: 'center', gap: 8 },
  dot: { width: 10, height: 10, borderRadius: 5 },
  hostName: { fontSize: 16, fontWeight: '600' },
  toast: { position: 'absolute', alignSelf: 'center', bottom: 150 },
  toastText: {
    color: '#ffffff',
    backgroundColor: 'rgba(0,0,0,0.75)',
    paddingHorizontal: 14,
    paddingVertical: 8,
    borderRadius: 16,
    overflow: 'hidden'
  }
})
