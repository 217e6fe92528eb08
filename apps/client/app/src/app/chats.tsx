// The Conversations screen of the connected host: its saved conversations, newest first,
// with New chat; tap one to open it, Delete asks first. Only this host's conversations
// are listed (they are filed under its public key), so switching hosts never shows
// another host's messages. The host's status is said here too, before a chat is opened.
import { Redirect, Stack, useRouter } from 'expo-router'
import { useEffect, useState } from 'react'
import { FlatList, StyleSheet, Text, View } from 'react-native'
import { Button } from '../components/button'
import { ConversationRow } from '../components/conversation-row'
import { StatusBanner } from '../components/status-banner'
import { useTheme } from '../components/theme'
import type { ConversationSummary } from '../state/conversation-store'
import { hostStatus } from '../state/host-status'
import { useSession } from '../state/session-provider'

export const NOT_KEPT =
  'Conversations can’t be saved in this browser right now (another tab of it has them open), so these are kept only until this page closes.'

export default function ChatsScreen() {
  const theme = useTheme()
  const router = useRouter()
  const { state, recentHosts, conversations, conversationsVersion, newChat, openChat, deleteChat } =
    useSession()
  const hostKey = state.hostKey
  const [list, setList] = useState<ConversationSummary[] | null>(null)

  useEffect(() => {
    if (!conversations || !hostKey) return
    let live = true
    void conversations.list(hostKey).then(
      (found) => live && setList(found),
      () => live && setList([])
    )
    return () => {
      live = false
    }
  }, [conversations, hostKey, conversationsVersion])

  if (!hostKey) return <Redirect href='/' />
  const hostName =
    state.info?.host_name ?? recentHosts.find((h) => h.hostKey === hostKey)?.hostName ?? 'Host'
  const status = hostStatus(state, hostKey)
  const startNew = () => {
    newChat()
    router.push('/chat')
  }
  const open = async (id: string) => {
    if (await openChat(id)) router.push('/chat')
  }

  return (
    <View style={[styles.screen, { backgroundColor: theme.background }]}>
      <Stack.Screen
        options={{
          title: hostName,
          headerRight: () => <Button title='New chat' kind='plain' small onPress={startNew} />
        }}
      />
      {status.banner ? <StatusBanner text={status.banner} calm={status.calm} /> : null}
      <FlatList
        contentContainerStyle={styles.list}
        data={list ?? []}
        keyExtractor={(item) => item.id}
        ListHeaderComponent={
          <View style={styles.intro}>
            <Text accessibilityRole='header' style={[styles.title, { color: theme.text }]}>
              {`Conversations with ${hostName}`}
            </Text>
            <Text style={{ color: theme.muted }}>
              Kept on this phone only. The host keeps nothing of them.
            </Text>
            {conversations && !conversations.persistent ? (
              <Text style={{ color: theme.warn }}>{NOT_KEPT}</Text>
            ) : null}
          </View>
        }
        ListEmptyComponent={
          list ? (
            <View style={styles.empty}>
              <Text style={{ color: theme.muted }}>{`No conversations with ${hostName} yet.`}</Text>
              <Button title='Start a conversation' onPress={startNew} />
            </View>
          ) : null
        }
        renderItem={({ item }) => (
          <ConversationRow
            summary={item}
            now={Date.now()}
            onOpen={() => void open(item.id)}
            onDelete={() => void deleteChat(item.id)}
          />
        )}
      />
    </View>
  )
}

const styles = StyleSheet.create({
  screen: { flex: 1 },
  list: { padding: 16 },
  intro: { gap: 4, marginBottom: 12 },
  title: { fontSize: 20, fontWeight: '700' },
  empty: { gap: 12, alignItems: 'flex-start' }
})
