import { fireEvent, screen, waitFor } from '@testing-library/react-native'
import { OTHER_SERVER_ID, SERVER_ID, renderApp } from './helpers/app'
import { keychain } from './helpers/keychain'

const OTHER_ID = OTHER_SERVER_ID

// ReanimatedSwipeable's own gesture cannot run in jest: Reanimated's measure() returns null
// there (so the actions behind a row measure 0 pt and no swipe can open them), and its pan
// gesture has no test ID to fire events at (react-native-gesture-handler issue #3032). The
// real component renders; a host view around it carries the callbacks the library calls
// when a swipe ends, for these tests to fire as the library would.
jest.mock('react-native-gesture-handler/ReanimatedSwipeable', () => {
  const { createElement } = jest.requireActual<typeof import('react')>('react')
  const { View } = jest.requireActual<typeof import('react-native')>('react-native')
  const Real = jest.requireActual<{ default: (props: object) => React.ReactNode }>(
    'react-native-gesture-handler/ReanimatedSwipeable'
  ).default
  return {
    __esModule: true,
    default: (props: { testID?: string; onSwipeableOpen?: (direction: string) => void }) => {
      // Not a View prop: fireEvent finds it on the host view all the same.
      const callbacks = { onSwipeableOpen: props.onSwipeableOpen }
      return createElement(
        View,
        { testID: `swipe-${props.testID ?? ''}`, ...callbacks },
        createElement(Real, props)
      )
    }
  }
})

function storeHosts() {
  keychain.set(
    'localllm.recent-hosts',
    JSON.stringify([
      { serverId: SERVER_ID, hostName: 'Old host', model: 'm', lastConnected: 2 },
      { serverId: OTHER_ID, hostName: 'Office', model: 'm', lastConnected: 1 }
    ])
  )
}

function storedIds(): string[] {
  const hosts = JSON.parse(keychain.get('localllm.recent-hosts') ?? '[]') as { serverId: string }[]
  return hosts.map((h) => h.serverId)
}

/** What ReanimatedSwipeable calls once a swipe has opened a row: 'right' for its right actions. */
async function swipeOpens(hostName: string, direction: 'left' | 'right') {
  await fireEvent(screen.getByTestId(`swipe-recent-host-${hostName}`), 'swipeableOpen', direction)
}

test('swiping a recent host to the left removes it from the list and the Keychain', async () => {
  storeHosts()
  await renderApp()
  await screen.findByText('Old host')
  // Swiping left opens the actions on the right.
  await swipeOpens('Old host', 'right')
  await waitFor(() => expect(screen.queryByText('Old host')).toBeNull())
  expect(screen.getByText('Office')).toBeTruthy()
  expect(storedIds()).toEqual([OTHER_ID])
})

test('a row opened the other way (there is nothing on the left) does not remove the host', async () => {
  storeHosts()
  await renderApp()
  await screen.findByText('Old host')
  await swipeOpens('Old host', 'left')
  // Then the Remove button, a later event: once Office is gone, Old host would be too.
  await fireEvent.press(screen.getByRole('button', { name: 'Remove Office' }))
  await waitFor(() => expect(screen.queryByText('Office')).toBeNull())
  expect(screen.getByText('Old host')).toBeTruthy()
  expect(storedIds()).toEqual([SERVER_ID])
})

test('the Remove button is the accessible alternative to the swipe', async () => {
  storeHosts()
  await renderApp()
  await screen.findByText('Old host')
  // The red area the swipe reveals is hidden from VoiceOver; the button is not.
  expect(screen.getAllByRole('button', { name: /^Remove / }).length).toBe(2)
  await fireEvent.press(screen.getByRole('button', { name: 'Remove Office' }))
  await waitFor(() => expect(screen.queryByText('Office')).toBeNull())
  expect(storedIds()).toEqual([SERVER_ID])
})
