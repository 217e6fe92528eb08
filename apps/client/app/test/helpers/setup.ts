// Module-edge mocks for every test: the bare-kit worklet, the Keychain, the clipboard and
// the camera.
import { camera } from './camera'
import { FakeWorklet } from './fake-worklet'
import { keychain } from './keychain'

jest.mock('react-native-bare-kit', () => jest.requireActual<object>('./fake-worklet'))
jest.mock('expo-secure-store', () => jest.requireActual<object>('./keychain'))
jest.mock('expo-clipboard', () => ({
  getStringAsync: jest.fn(() => Promise.resolve('')),
  setStringAsync: jest.fn(() => Promise.resolve(true))
}))

jest.mock('expo-camera', () => jest.requireActual<object>('./camera'))

beforeEach(() => {
  camera.reset()
  FakeWorklet.reset()
  keychain.clear()
})
