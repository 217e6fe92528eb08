import { STICK_PX, nextFollowing } from '../src/components/follow-bottom'

const at = (y: number, contentHeight = 2000, viewportHeight = 600) => ({
  y,
  contentHeight,
  viewportHeight
})

test('at the bottom it follows; the content growing below does not stop it', () => {
  expect(nextFollowing(false, 0, at(1400))).toBe(true)
  // The reply grew by 300 px and our own scroll has not caught up: still following.
  expect(nextFollowing(true, 1400, at(1400, 2300))).toBe(true)
})

test('scrolling up stops following; coming back to the bottom starts it again', () => {
  expect(nextFollowing(true, 1400, at(1300))).toBe(false)
  expect(nextFollowing(false, 1300, at(1350))).toBe(false)
  expect(nextFollowing(false, 1350, at(1400 - STICK_PX))).toBe(true)
})
