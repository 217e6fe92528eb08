// The Chat screen: the host and model in the header, the transcript with streaming
// Markdown replies, and the prompt box with its byte counter, Send/Stop and Clear.
// Every text scales with the system font size (Dynamic Type); only the header line, which
// sits in the fixed-height navigation bar, and the byte counter are capped.
import * as Clipboard from 'expo-clipboard'
import { Stack, useRouter } from 'expo-router'
import { useContext, useEffect, useRef, useState } from 'react'
import {
  FlatList,
  KeyboardAvoidingView,
  Platform,
  Pressable,
  StyleSheet,
  Text,
  TextInput,
  View
} from 'react-native'
import { HeaderHeightContext } from 'expo-router/react-navigation'
import { Button } from '../components/button'
import { useTheme, type Theme } from '../components/theme'
import { TurnView } from '../components/turn-view'
import { promptLimit } from '../state/prompt-limit'
import { useSession } from '../state/session-provider'
import { isStreaming, type SessionState } from '../state/session-state'

/** How long the "Copied" confirmation stays after a long-press copy. */
export const COPIED_MS = 1500

// Dynamic Type caps (maxFontSizeMultiplier): the header must fit the 44 pt navigation bar;
// the byte counter may grow, but not so far that it crowds out the prompt it measures.
const HEADER_MAX_SCALE = 1.6
const COUNTER_MAX_SCALE = 2

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

  // The composer rides above the keyboard; the offset is the navigation bar above us.
  const headerHeight = useContext(HeaderHeightContext) ?? 0

  return (
    <KeyboardAvoidingView
      behavior={Platform.OS === 'ios' ? 'padding' : undefined}
      keyboardVerticalOffset={headerHeight}
      style={[styles.screen, { backgroundColor: theme.background }]}
    >
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
        ListEmptyComponent={
          state.info ? (
            <View style={styles.empty}>
              <Text style={[styles.emptyTitle, { color: theme.text }]}>
                {`Ask ${state.info.model} anything`}
              </Text>
              <Text style={[styles.emptyText, { color: theme.muted }]}>
                {`Replies stream live from ${state.info.host_name}, peer to peer.`}
              </Text>
            </View>
          ) : null
        }
        renderItem={({ item }) => (
          <TurnView turn={item} onRetry={(text) => send(text)} onCopy={(text) => void copy(text)} />
        )}
      />
      <View style={styles.composer}>
        {/* Just above the composer, however tall large text makes it. */}
        {copied ? (
          <View pointerEvents='none' style={styles.toast}>
            <Text accessibilityLiveRegion='polite' style={styles.toastText}>
              Copied
            </Text>
          </View>
        ) : null}
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
          maxFontSizeMultiplier={COUNTER_MAX_SCALE}
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
    </KeyboardAvoidingView>
  )
}

// One line, "● host · model", so that large text still fits the navigation bar; long
// names are cut short with "…". Long-pressing it opens the hidden debug screen.
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
      <Text
        numberOfLines={1}
        maxFontSizeMultiplier={HEADER_MAX_SCALE}
        style={[styles.headerLine, { color: theme.muted }]}
      >
        <Text style={[styles.hostName, { color: theme.text }]}>
          {state.info?.host_name ?? 'Host'}
        </Text>
        {state.info?.model ? (
          <>
            <Text>{' · '}</Text>
            <Text>{state.info.model}</Text>
          </>
        ) : null}
      </Text>
    </Pressable>
  )
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  banner: { padding: 10 },
  bannerText: { color: '#ffffff', fontWeight: '600', textAlign: 'center' },
  list: { flex: 1 },
  empty: { paddingTop: 48, paddingHorizontal: 24, alignItems: 'center', gap: 6 },
  emptyTitle: { fontSize: 18, fontWeight: '600', textAlign: 'center' },
  emptyText: { fontSize: 15, textAlign: 'center' },
  listContent: { padding: 16 },
  composer: { padding: 12, gap: 6 },
  input: { fontSize: 16, padding: 12, borderRadius: 10, maxHeight: 160 },
  actions: { flexDirection: 'row', justifyContent: 'space-between' },
  header: { flexDirection: 'row', alignItems: 'center', gap: 8, flexShrink: 1 },
  dot: { width: 10, height: 10, borderRadius: 5 },
  headerLine: { flexShrink: 1, fontSize: 14 },
  hostName: { fontSize: 16, fontWeight: '600' },
  toast: { position: 'absolute', alignSelf: 'center', bottom: '100%', marginBottom: 8 },
  toastText: {
    color: '#ffffff',
    backgroundColor: 'rgba(0,0,0,0.75)',
    paddingHorizontal: 14,
    paddingVertical: 8,
    borderRadius: 16,
    overflow: 'hidden'
  }
})
