// A small Copy button that puts text on the clipboard and says "Copied" for a moment, under
// a message or on a code block.
//
//   <CopyButton text={() => plainText(reply)} accessibilityLabel='Copy the reply' />
//
// `text` is read when pressed, so a long reply is turned into plain text only when copied.
import * as Clipboard from 'expo-clipboard'
import { useEffect, useRef, useState } from 'react'
import { Button } from './button'

export const COPIED_MS = 1500

export function CopyButton({
  text,
  accessibilityLabel,
  testID
}: {
  text: () => string
  accessibilityLabel: string
  testID?: string
}) {
  const [copied, setCopied] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    []
  )
  const copy = async () => {
    await Clipboard.setStringAsync(text())
    setCopied(true)
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => setCopied(false), COPIED_MS)
  }
  return (
    <Button
      title={copied ? 'Copied' : 'Copy'}
      kind='plain'
      small
      accessibilityLabel={copied ? 'Copied' : accessibilityLabel}
      testID={testID}
      onPress={() => void copy()}
    />
  )
}
