// The Chat screen: one conversation with its own host, named in the header with a dot that
// says whether that host can answer now; the transcript, which follows a streaming reply
// while you are at the bottom; and the prompt box with its byte counter and Send/Stop.
// Send is only offered when a prompt sent now would be answered; the banner says why not.
// Every text scales with the system font size (Dynamic Type); only the header line, which
// sits in the fixed-height navigation bar, and the byte counter are capped.
import { Stack, useRouter } from 'expo-router'
import * as Clipboard from 'expo-clipboard'
import { useContext, useEffect, useRef, useState } from 'react'
import {
  FlatList,
  KeyboardAvoidingView,
  Platform,
  Pressable,
  StyleSheet,
  Text,
  TextInput,
  View,
  useWindowDimensions
} from 'react-native'
import { HeaderHeightContext } from 'expo-router/react-navigation'
import { Button } from '../components/button'
import { COPIED_MS } from '../components/copy-button'
import { useFollowBottom } from '../components/follow-bottom'
import { JumpToBottom } from '../components/jump-to-bottom'
import { StatusBanner } from '../components/status-banner'
import { useTheme, type Theme } from '../components/theme'
import { TurnView } from '../components/turn-view'
import { activeTurn, type Turn } from '../state/conversation'
import { hostStatus, type HostStatus } from '../state/host-status'
import { promptLimit } from '../state/prompt-limit'
import { useSession } from '../state/session-provider'

export { COPIED_MS }

// Dynamic Type caps (maxFontSizeMultiplier): the header must fit the 44 pt navigation bar;
// the byte counter may grow, but not so far that it crowds out the prompt it measures.
const HEADER_MAX_SCALE = 1.6
const COUNTER_MAX_SCALE = 2
// The navigation bar's back arrow and New chat button, with their margins.
const HEADER_SIDES = 190

export default function ChatScreen() {
  const theme = useTheme()
  const router = useRouter()
  const { state, send, stop, regenerate, newChat } = useSession()
  const [prompt, setPrompt] = useState('')
  const [copied, setCopied] = useState(false)
  const copiedTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const list = useRef<FlatList<Turn>>(null)
  const follow = useFollowBottom(list, state.chat !== undefined)
  useEffect(
    () => () => {
      if (copiedTimer.current) clearTimeout(copiedTimer.current)
    },
    []
  )
  // The composer rides above the keyboard; the offset is the navigation bar above us.
  const headerHeight = useContext(HeaderHeightContext) ?? 0

  const chat = state.chat
  if (!chat) {
    return (
      <View style={[styles.screen, styles.none, { backgroundColor: theme.background }]}>
        <Text style={[styles.emptyText, { color: theme.muted }]}>No conversation is open.</Text>
        <Button title='Back to the start' kind='plain' onPress={() => router.dismissTo('/')} />
      </View>
    )
  }

  const copy = async (text: string) => {
    await Clipboard.setStringAsync(text)
    setCopied(true)
    if (copiedTimer.current) clearTimeout(copiedTimer.current)
    copiedTimer.current = setTimeout(() => setCopied(false), COPIED_MS)
  }
  const status = hostStatus(state, chat.hostKey)
  const live = state.hostKey === chat.hostKey ? state.info : undefined
  const limit = promptLimit(prompt, live?.limits.max_prompt_bytes || undefined)
  const active = activeTurn(chat)
  const canSend = status.canSend && !active && prompt.trim() !== '' && limit.level !== 'over'
  const submit = () => {
    if (!canSend) return
    send(prompt)
    setPrompt('')
    follow.jump(false)
  }

  return (
    <KeyboardAvoidingView
      behavior={Platform.OS === 'ios' ? 'padding' : undefined}
      keyboardVerticalOffset={headerHeight}
      style={[styles.screen, { backgroundColor: theme.background }]}
    >
      <Stack.Screen
        options={{
          headerTitle: () => (
            <Header
              hostName={live?.host_name ?? chat.hostName}
              model={live?.model ?? chat.model}
              status={status}
              relayed={live !== undefined && state.path?.path === 'relayed'}
              theme={theme}
              onLongPress={() => router.push('/debug')}
            />
          ),
          headerRight: () => <Button title='New chat' kind='plain' small onPress={newChat} />
        }}
      />
      {status.banner ? <StatusBanner text={status.banner} calm={status.calm} /> : null}
      <View style={styles.list}>
        <FlatList
          ref={list}
          testID='transcript'
          contentContainerStyle={styles.listContent}
          data={chat.turns}
          keyExtractor={(turn) => turn.ref}
          onScroll={follow.onScroll}
          onContentSizeChange={follow.onContentSizeChange}
          onLayout={follow.onLayout}
          scrollEventThrottle={16}
          ListEmptyComponent={
            <View style={styles.empty}>
              <Text style={[styles.emptyTitle, { color: theme.text }]}>
                {`Ask ${live?.model || chat.model || 'the model'} anything`}
              </Text>
              <Text style={[styles.emptyText, { color: theme.muted }]}>
                {`Replies stream live from ${live?.host_name ?? chat.hostName}, peer to peer. This conversation is kept on this phone.`}
              </Text>
            </View>
          }
          renderItem={({ item, index }) => (
            <TurnView
              turn={item}
              last={index === chat.turns.length - 1}
              canSend={status.canSend && !active}
              onRetry={(turn) => {
                send(turn.prompt, { replaces: turn.ref })
                follow.jump(false)
              }}
              onRegenerate={() => {
                regenerate()
                follow.jump(false)
              }}
              onCopyPrompt={(text) => void copy(text)}
            />
          )}
        />
        {follow.showJump ? <JumpToBottom onPress={() => follow.jump()} /> : null}
      </View>
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
          placeholder={
            status.canSend || active ? 'Ask something' : 'The host can’t answer right now'
          }
          placeholderTextColor={theme.muted}
          multiline
          value={prompt}
          onChangeText={setPrompt}
          style={[styles.input, { color: theme.text, backgroundColor: theme.surface }]}
        />
        <View style={styles.actions}>
          <Text
            accessibilityLabel='Prompt size'
            maxFontSizeMultiplier={COUNTER_MAX_SCALE}
            style={[
              styles.counter,
              {
                color:
                  limit.level === 'over'
                    ? theme.danger
                    : limit.level === 'warn'
                      ? theme.warn
                      : theme.muted
              }
            ]}
          >
            {limit.level === 'over'
              ? `${limit.bytes} / ${limit.max} bytes — too long to send, shorten it`
              : `${limit.bytes} / ${limit.max} bytes`}
          </Text>
          {active ? (
            <Button title='Stop' kind='danger' onPress={() => stop(active.ref)} />
          ) : (
            <Button title='Send' disabled={!canSend} onPress={submit} />
          )}
        </View>
      </View>
    </KeyboardAvoidingView>
  )
}

// One line, "● host · model", so that large text still fits the navigation bar; long
// names are cut short with "…". Long-pressing it opens the hidden debug screen.
function Header({
  hostName,
  model,
  status,
  relayed,
  theme,
  onLongPress
}: {
  hostName: string
  model: string
  status: HostStatus
  /** The connection goes through the host's relay (slower, but it works). */
  relayed: boolean
  theme: Theme
  onLongPress: () => void
}) {
  // Leaves room for the back arrow and New chat on either side of the navigation bar.
  const { width } = useWindowDimensions()
  const dot = status.dot === 'ready' ? theme.ok : status.dot === 'busy' ? theme.accent : theme.warn
  return (
    <Pressable
      accessibilityLabel={`${hostName}, ${status.words}${relayed ? ', through a relay' : ''}`}
      onLongPress={onLongPress}
      delayLongPress={600}
      style={[styles.header, { maxWidth: Math.max(120, width - HEADER_SIDES) }]}
    >
      <View style={[styles.dot, { backgroundColor: dot }]} />
      <Text
        numberOfLines={1}
        maxFontSizeMultiplier={HEADER_MAX_SCALE}
        style={[styles.headerLine, { color: theme.muted }]}
      >
        <Text style={[styles.hostName, { color: theme.text }]}>{hostName}</Text>
        {model ? (
          <>
            <Text>{' · '}</Text>
            <Text>{model}</Text>
          </>
        ) : null}
        {relayed ? <Text>{' · relayed'}</Text> : null}
      </Text>
    </Pressable>
  )
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  none: { alignItems: 'center', justifyContent: 'center', gap: 12, padding: 24 },
  list: { flex: 1 },
  empty: { paddingTop: 48, paddingHorizontal: 24, alignItems: 'center', gap: 6 },
  emptyTitle: { fontSize: 18, fontWeight: '600', textAlign: 'center' },
  emptyText: { fontSize: 15, textAlign: 'center' },
  listContent: { padding: 16 },
  composer: { padding: 12, gap: 6 },
  input: { fontSize: 16, padding: 12, borderRadius: 10, maxHeight: 160 },
  actions: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', gap: 8 },
  counter: { flexShrink: 1 },
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
