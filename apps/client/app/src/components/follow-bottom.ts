// Keeps the transcript at the newest line while a reply streams, as long as the reader is at
// the bottom; scrolling up stops it (and the Jump to latest button shows), scrolling back to
// the bottom or pressing the button starts it again. PocketPal's ChatView does the same.
//
//   const follow = useFollowBottom(listRef)
//   <FlatList ref={listRef} onScroll={follow.onScroll} onContentSizeChange={follow.onContentSizeChange}
//             onLayout={follow.onLayout} scrollEventThrottle={16} />
//   {follow.showJump ? <JumpToBottom onPress={follow.jump} /> : null}
//
// Growing content never moves the scroll offset up, and our own scrolling only moves it
// down, so an offset that went up is the reader: that, not the distance alone, stops following.
import { useCallback, useRef, useState, type RefObject } from 'react'
import type { LayoutChangeEvent, NativeScrollEvent, NativeSyntheticEvent } from 'react-native'

/** Within this distance of the end counts as "at the bottom". */
export const STICK_PX = 24

export interface ScrollSample {
  y: number
  contentHeight: number
  viewportHeight: number
}

export function distanceFromBottom(s: ScrollSample): number {
  return Math.max(0, s.contentHeight - s.viewportHeight - s.y)
}

/** Whether to keep following after a scroll event, given the offset before it. */
export function nextFollowing(following: boolean, previousY: number, s: ScrollSample): boolean {
  if (distanceFromBottom(s) <= STICK_PX) return true
  if (s.y < previousY - 0.5) return false
  return following
}

interface Scrollable {
  scrollToEnd(options?: { animated?: boolean }): void
}

export function useFollowBottom(list: RefObject<Scrollable | null>) {
  const following = useRef(true)
  const lastY = useRef(0)
  const [showJump, setShowJump] = useState(false)

  const set = useCallback((follow: boolean, overflow: boolean) => {
    following.current = follow
    setShowJump(!follow && overflow)
  }, [])

  const onScroll = useCallback(
    (e: NativeSyntheticEvent<NativeScrollEvent>) => {
      const { contentOffset, contentSize, layoutMeasurement } = e.nativeEvent
      const sample = {
        y: contentOffset.y,
        contentHeight: contentSize.height,
        viewportHeight: layoutMeasurement.height
      }
      const follow = nextFollowing(following.current, lastY.current, sample)
      lastY.current = sample.y
      set(follow, distanceFromBottom(sample) > STICK_PX)
    },
    [set]
  )

  const toEnd = useCallback(() => {
    if (following.current) list.current?.scrollToEnd({ animated: false })
  }, [list])

  const onContentSizeChange = useCallback((_w: number, _h: number) => toEnd(), [toEnd])
  const onLayout = useCallback((_e: LayoutChangeEvent) => toEnd(), [toEnd])

  /** Back to the newest line, and follow again (the button, or sending a prompt). */
  const jump = useCallback(
    (animated = true) => {
      set(true, false)
      list.current?.scrollToEnd({ animated })
    },
    [list, set]
  )

  return { onScroll, onContentSizeChange, onLayout, showJump, jump }
}
