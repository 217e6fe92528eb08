// The Connect screen: paste a Server ID, connect, see what is happening in plain words,
// scan the host's QR code, and reconnect to a recent host with one tap (swipe one away, or
// press Remove, to forget it). Once connected it opens a new conversation with that host,
// with the host's saved conversations one step back.
import * as Clipboard from 'expo-clipboard'
import { useFocusEffect, useRouter } from 'expo-router'
import { useCallback, useEffect, useRef, useState } from 'react'
import { FlatList, Image, StyleSheet, Text, TextInput, View } from 'react-native'
import { Button } from '../components/button'
import { RecentHostRow } from '../components/recent-host-row'
import { useTheme } from '../components/theme'
import { STATUS_WORDS, connectAdvice } from '../state/connect-advice'
import { takeScannedId } from '../state/scan-handoff'
import { useSession } from '../state/session-provider'

/* eslint-disable @typescript-eslint/no-require-imports -- Metro bundles images by require */
const MARK = require('../../assets/splash-icon.png') as number
const MARK_DARK = require('../../assets/splash-icon-dark.png') as number
/* eslint-enable @typescript-eslint/no-require-imports */

export default function ConnectScreen() {
  const theme = useTheme()
  const router = useRouter()
  const { state, recentHosts, connect, retry, forget, newChat } = useSession()
  const [serverId, setServerId] = useState('')
  // The connect attempt already taken to the chat (a deep link's counts too).
  const shownAttempt = useRef(0)

  const busy = state.status === 'connecting'
  const error = state.connectError
  const advice = error ? connectAdvice(error) : null

  useEffect(() => {
    if (state.status === 'connected' && state.info && shownAttempt.current !== state.attempt) {
      shownAttempt.current = state.attempt
      newChat()
      router.push('/chats')
      router.push('/chat')
    }
  }, [state.status, state.info, state.attempt, router, newChat])

  const start = (id: string) => {
    if (id.trim()) connect(id)
  }
  // Back from the scanner: show the scanned ID (the scanner has already connected).
  useFocusEffect(
    useCallback(() => {
      const scanned = takeScannedId()
      if (scanned) setServerId(scanned)
    }, [])
  )
  // A clipboard that cannot be read (a browser that says no) leaves the field as it was.
  const paste = async () => {
    const text = await Clipboard.getStringAsync().catch(() => '')
    if (text.trim()) setServerId(text.trim())
  }

  return (
    <View style={[styles.screen, { backgroundColor: theme.background }]}>
      <View style={styles.intro}>
        <Image
          source={theme.dark ? MARK_DARK : MARK}
          style={styles.mark}
          accessibilityIgnoresInvertColors
        />
        <View style={styles.introText}>
          <Text accessibilityRole='header' style={[styles.title, { color: theme.text }]}>
            Chat with a model on a friend’s computer
          </Text>
          <Text style={{ color: theme.muted, fontSize: 15 }}>
            Scan or paste the Server ID that LocalLLM shows on their screen. Your chat goes straight
            to their computer, end-to-end encrypted.
          </Text>
        </View>
      </View>
      <Text style={[styles.label, { color: theme.text }]}>Server ID</Text>
      <View style={styles.row}>
        <TextInput
          accessibilityLabel='Server ID'
          placeholder='The host’s Server ID'
          placeholderTextColor={theme.muted}
          value={serverId}
          onChangeText={setServerId}
          autoCapitalize='none'
          autoCorrect={false}
          style={[styles.input, { color: theme.text, backgroundColor: theme.surface }]}
        />
        <Button title='Paste' kind='plain' onPress={() => void paste()} />
        <Button title='Scan' kind='plain' onPress={() => router.push('/scan')} />
      </View>
      <Button
        title={busy ? 'Connecting…' : 'Connect'}
        disabled={busy || serverId.trim() === ''}
        onPress={() => start(serverId)}
      />
      {state.status !== 'idle' && !error ? (
        <Text accessibilityLiveRegion='polite' style={[styles.status, { color: theme.muted }]}>
          {STATUS_WORDS[state.status]}
        </Text>
      ) : null}
      {error && advice ? (
        <View accessibilityRole='alert' style={styles.error}>
          <Text style={[styles.errorText, { color: theme.danger }]}>{error.message}</Text>
          {advice.next === 'retry' ? (
            <Button
              title={advice.label}
              kind='plain'
              onPress={() => (state.status === 'idle' ? start(serverId) : retry())}
            />
          ) : (
            <Text style={{ color: theme.muted }}>{advice.label}</Text>
          )}
        </View>
      ) : null}
      {recentHosts.length > 0 ? (
        <>
          <Text style={[styles.label, { color: theme.text }]}>Recent hosts</Text>
          <FlatList
            data={recentHosts}
            keyExtractor={(host) => host.serverId}
            renderItem={({ item }) => (
              <View style={styles.hostRow}>
                <RecentHostRow
                  host={item}
                  onConnect={() => start(item.serverId)}
                  onRemove={() => forget(item.serverId)}
                />
              </View>
            )}
          />
        </>
      ) : null}
    </View>
  )
}

const styles = StyleSheet.create({
  screen: { flex: 1, padding: 16, gap: 12 },
  intro: { flexDirection: 'row', alignItems: 'center', gap: 14, marginBottom: 4 },
  mark: { width: 56, height: 56 },
  introText: { flex: 1, gap: 4 },
  title: { fontSize: 20, fontWeight: '700' },
  label: { fontSize: 15, fontWeight: '600', marginTop: 8 },
  // With large text, Paste and Scan wrap below the field instead of squeezing it.
  row: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', gap: 8 },
  input: {
    flexGrow: 1,
    flexShrink: 1,
    flexBasis: 160,
    minWidth: 0, // a web <input> is otherwise at least its intrinsic width
    fontSize: 16,
    padding: 12,
    borderRadius: 10
  },
  status: { fontSize: 15 },
  error: { gap: 6 },
  errorText: { fontSize: 15 },
  hostRow: { marginBottom: 8 }
})
