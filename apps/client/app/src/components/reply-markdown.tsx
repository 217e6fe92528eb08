// A reply rendered as Markdown (code blocks included) with react-native-marked, in the
// system colour scheme. Rendered as plain elements, not its own list, so it can sit in
// the transcript's FlatList.
import { Fragment } from 'react'
import { useColorScheme, View } from 'react-native'
import { useMarkdown } from 'react-native-marked'

export function ReplyMarkdown({ text }: { text: string }) {
  const colorScheme = useColorScheme()
  const elements = useMarkdown(text, { colorScheme })
  return (
    <View>
      {elements.map((element, index) => (
        <Fragment key={index}>{element}</Fragment>
      ))}
    </View>
  )
}
