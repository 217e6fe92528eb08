// Drives a react-native-gesture-handler pan handler (e.g. Swipeable's) the way a finger
// would, awaiting each event. RNGH's own `fireGestureHandler` does not await
// @testing-library/react-native 14's async fireEvent, which overlaps act() scopes.
//
//   await pan(screen.getByTestId('row'), [-40, -160, -240], -900)   // translations in pt
import { fireEvent } from '@testing-library/react-native'
import { State } from 'react-native-gesture-handler'

type Host = Parameters<typeof fireEvent>[0]

export async function pan(handler: Host, translations: number[], velocityX = 0): Promise<void> {
  const handlerTag = (handler.props as { handlerTag: number }).handlerTag
  const base = { handlerTag, numberOfPointers: 1, x: 0, y: 0, absoluteX: 0, absoluteY: 0 }
  const at = (translationX: number, velocity: number) => ({
    ...base,
    translationX,
    translationY: 0,
    velocityX: velocity,
    velocityY: 0
  })
  const change = (state: State, oldState: State, translationX: number, velocity: number) =>
    fireEvent(handler, 'gestureHandlerStateChange', {
      nativeEvent: { ...at(translationX, velocity), state, oldState }
    })
  await change(State.BEGAN, State.UNDETERMINED, 0, 0)
  await change(State.ACTIVE, State.BEGAN, 0, 0)
  for (const translationX of translations) {
    await fireEvent(handler, 'gestureHandlerEvent', {
      nativeEvent: { ...at(translationX, velocityX), state: State.ACTIVE }
    })
  }
  await change(State.END, State.ACTIVE, translations.at(-1) ?? 0, velocityX)
}
