import { act, fireEvent, screen, waitFor } from '@testing-library/react-native'
import { OTHER_SERVER_ID, SERVER_ID, renderApp } from './helpers/app'
import { keychain } from './helpers/keychain'
import { pan } from './helpers/swipe'

const OTHER_ID = OTHER_SERVER_ID

afterEach(() => jest.useRealTimers())

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

/**
 * Swipeable's pan handler (the row carries its testID), after giving the row the layout a
 * phone would: 350 pt wide, with a 110 pt action behind it (nothing lays out in jest).
 */
async function swipeableRow(hostName: string) {
  const row = screen.getByTestId(`recent-host-${hostName}`)
  await fireEvent(row, 'layout', {
    nativeEvent: { layout: { x: 0, y: 0, width: 350, height: 60 } }
  })
  const actions = row.children[0]
  const actionsEnd = typeof actions === 'object' ? actions?.children.at(-1) : undefined
  if (!actionsEnd || typeof actionsEnd !== 'object') throw new Error('no swipe actions')
  await fireEvent(actionsEnd, 'layout', {
    nativeEvent: { layout: { x: 240, y: 0, width: 0, height: 60 } }
  })
  return row
}

test('swiping a recent host to the left removes it from the list and the Keychain', async () => {
  storeHosts()
  await renderApp()
  await screen.findByText('Old host')
  const row = await swipeableRow('Old host')
  await pan(row, [-40, -160, -240], -900)
  // onSwipeableOpen fires when the open animation has finished.
  await waitFor(() => expect(screen.queryByText('Old host')).toBeNull(), { timeout: 3000 })
  expect(screen.getByText('Office')).toBeTruthy()
  expect(storedIds()).toEqual([OTHER_ID])
})

test('a short drag that is let go does not remove the host', async () => {
  storeHosts()
  await renderApp()
  await screen.findByText('Old host')
  jest.useFakeTimers()
  const row = await swipeableRow('Old host')
  await pan(row, [-5], 0)
  // The row springs back instead (give it the time an open would take).
  await act(() => jest.advanceTimersByTime(2000))
  expect(screen.getByText('Old host')).toBeTruthy()
  expect(storedIds()).toEqual([SERVER_ID, OTHER_ID])
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
