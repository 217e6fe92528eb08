// One recent host on the Connect screen: tap the name to reconnect, swipe left to remove
// (react-native-gesture-handler's ReanimatedSwipeable), or press Remove — the accessible way
// that needs no gesture.
import { StyleSheet, Text, View } from 'react-native'
import Swipeable from 'react-native-gesture-handler/ReanimatedSwipeable'
import type { RecentHost } from '../state/recent-hosts'
import { Button } from './button'
import { useTheme } from './theme'

export function RecentHostRow({
  host,
  onConnect,
  onRemove
}: {
  host: RecentHost
  onConnect: () => void
  onRemove: () => void
}) {
  const theme = useTheme()
  return (
    <Swipeable
      testID={`recent-host-${host.hostName}`}
      friction={2}
      overshootRight={false}
      renderRightActions={() => (
        <View
          accessibilityElementsHidden
          importantForAccessibility='no-hide-descendants'
          style={[styles.swipeAction, { backgroundColor: theme.danger }]}
        >
          <Text style={styles.swipeText}>Remove</Text>
        </View>
      )}
      // A full swipe removes the host; the revealed red area only says what happens.
      onSwipeableOpen={(direction) => {
        if (direction === 'right') onRemove()
      }}
    >
      <View style={[styles.host, { backgroundColor: theme.surface }]}>
        <View style={styles.hostText}>
          <Text
            accessibilityRole='button'
            accessibilityLabel={`Connect to ${host.hostName}`}
            accessibilityHint='Swipe left or use Remove to forget this host'
            onPress={onConnect}
            style={[styles.hostName, { color: theme.text }]}
          >
            {host.hostName}
          </Text>
          <Text style={{ color: theme.muted }}>{host.model}</Text>
        </View>
        <Button
          title='Remove'
          kind='danger'
          accessibilityLabel={`Remove ${host.hostName}`}
          onPress={onRemove}
        />
      </View>
    </Swipeable>
  )
}

const styles = StyleSheet.create({
  host: { flexDirection: 'row', alignItems: 'center', padding: 12, borderRadius: 10 },
  hostText: { flex: 1 },
  hostName: { fontSize: 16, fontWeight: '600' },
  swipeAction: {
    justifyContent: 'center',
    alignItems: 'flex-end',
    paddingHorizontal: 20,
    borderRadius: 10,
    minWidth: 110
  },
  swipeText: { color: '#ffffff', fontSize: 16, fontWeight: '600' }
})
