// Module-edge mocks for every test: the bare-kit worklet, the Keychain, SQLite (sql.js), the
// clipboard, haptics and the camera.
import { camera } from './camera'
import { FakeWorklet } from './fake-worklet'
import { keychain, keychainOptions } from './keychain'
import { sqlite } from './sqlite'

jest.mock('react-native-bare-kit', () => jest.requireActual<object>('./fake-worklet'))
jest.mock('expo-secure-store', () => jest.requireActual<object>('./keychain'))
jest.mock('expo-sqlite', () => jest.requireActual<object>('./sqlite'))
jest.mock('expo-clipboard', () => ({
  getStringAsync: jest.fn(() => Promise.resolve('')),
  setStringAsync: jest.fn(() => Promise.resolve(true))
}))
jest.mock('expo-haptics', () => ({
  ImpactFeedbackStyle: { Light: 'light' },
  NotificationFeedbackType: { Success: 'success' },
  impactAsync: jest.fn(() => Promise.resolve()),
  notificationAsync: jest.fn(() => Promise.resolve())
}))

jest.mock('expo-camera', () => jest.requireActual<object>('./camera'))
// Reanimated (under ReanimatedSwipeable) on Worklets' own Jest mock, as both libraries' testing
// guides say: the native Worklets module does not load in jest.
jest.mock('react-native-worklets', () => jest.requireActual<object>('react-native-worklets/src/mock'))
jest.requireActual<{ setUpTests: () => void }>('react-native-reanimated').setUpTests()

beforeEach(() => {
  jest.clearAllMocks()
  camera.reset()
  FakeWorklet.reset()
  keychain.clear()
  keychainOptions.clear()
  sqlite.reset()
})
