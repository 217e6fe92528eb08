// A reply rendered as Markdown (code blocks included) with react-native-marked, in the
// app's light or dark colours, code in a monospaced font. Rendered as plain elements, not
// its own list, so it can sit in the transcript's FlatList.
import { Fragment, useMemo } from 'react'
import { useColorScheme, View } from 'react-native'
import { useMarkdown } from 'react-native-marked'
import { MONO, useTheme } from './theme'

export function ReplyMarkdown({ text }: { text: string }) {
  const colorScheme = useColorScheme()
  const theme = useTheme()
  const options = useMemo(
    () => ({
      colorScheme,
      theme: {
        colors: { text: theme.text, link: theme.accent, code: theme.surface, border: theme.muted }
      },
      styles: {
        code: { borderRadius: 8, marginVertical: 4 },
        codeText: { fontFamily: MONO, fontSize: 14, lineHeight: 20 },
        codespan: { fontFamily: MONO, fontStyle: 'normal' as const, fontSize: 15 }
      }
    }),
    [colorScheme, theme]
  )
  const elements = useMarkdown(text, options)
  return (
    <View>
      {elements.map((element, index) => (
        <Fragment key={index}>{element}</Fragment>
      ))}
    </View>
  )
}
