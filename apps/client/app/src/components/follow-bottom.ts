// Keeps the transcript at the newest line while a reply streams, as long as the reader is at
// the bottom; scrolling up stops it (and the Jump to latest button shows), scrolling back to
// the bottom or pressing the button starts it again. PocketPal's ChatView does the same.
//
//   const follow = useFollowBottom(listRef, listIsOnScreen)
//   <FlatList ref={listRef} onScroll={follow.onScroll} onContentSizeChange={follow.onContentSizeChange}
//             onLayout={follow.onLayout} scrollEventThrottle={16} />
//   {follow.showJump ? <JumpToBottom onPress={follow.jump} /> : null}
//
// Growing content never moves the scroll offset up, and our own scrolling only moves it
// down, so an offset that went up is the reader: that, not the distance alone, stops following.
// In a browser, React Native Web reports a new content size a task after the frame is
// painted, so the newest line would flash below the fold: there a ResizeObserver pins the
// list to the bottom before the frame is painted.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import {
  Platform,
  type LayoutChangeEvent,
  type NativeScrollEvent,
  type NativeSyntheticEvent
} from 'react-native'

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
  getScrollableNode?(): unknown
}

/** `mounted`: the list is on screen (the effect that pins it in a browser needs its node). */
export function useFollowBottom(list: RefObject<Scrollable | null>, mounted = true) {
  const following = useRef(true)
  const lastY = useRef(0)
  const [showJump, setShowJump] = useState(false)

  useEffect(() => {
    if (Platform.OS !== 'web' || !mounted || typeof ResizeObserver === 'undefined') return
    const node = list.current?.getScrollableNode?.()
    if (!(node instanceof HTMLElement) || !node.firstElementChild) return
    const pin = () => {
      if (following.current) node.scrollTop = node.scrollHeight
    }
    const observer = new ResizeObserver(pin)
    observer.observe(node.firstElementChild)
    observer.observe(node)
    return () => observer.disconnect()
  }, [list, mounted])

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

  // The end of the list, by the list (native) or by its DOM node (web: React Native Web's
  // scrollToEnd goes by a content size that may be a frame old, and would scroll back up; and
  // a smooth scroll there would run back to an end the growing reply has already passed).
  const toBottom = useCallback(
    (animated: boolean) => {
      if (Platform.OS !== 'web') {
        list.current?.scrollToEnd({ animated })
        return
      }
      const node = list.current?.getScrollableNode?.()
      if (node instanceof HTMLElement) node.scrollTop = node.scrollHeight
    },
    [list]
  )

  // Native only: in a browser the ResizeObserver above has already pinned it.
  const toEnd = useCallback(() => {
    if (following.current && Platform.OS !== 'web') toBottom(false)
  }, [toBottom])

  const onContentSizeChange = useCallback((_w: number, _h: number) => toEnd(), [toEnd])
  const onLayout = useCallback((_e: LayoutChangeEvent) => toEnd(), [toEnd])

  /** Back to the newest line, and follow again (the button, or sending a prompt). */
  const jump = useCallback(
    (animated = true) => {
      set(true, false)
      toBottom(animated)
    },
    [set, toBottom]
  )

  return { onScroll, onContentSizeChange, onLayout, showJump, jump }
}
