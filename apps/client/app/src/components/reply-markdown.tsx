// A reply rendered as Markdown with react-native-marked, in the app's light or dark colours;
// code blocks are our CodeBlock (language and a Copy button). Rendered as plain elements,
// not its own list, so it can sit in the transcript's FlatList.
//
//   <ReplyMarkdown text={turn.reply} />
import { Fragment, useMemo, type ReactNode } from 'react'
import { useColorScheme, View, type TextStyle, type ViewStyle } from 'react-native'
import { Renderer, useMarkdown } from 'react-native-marked'
import { CodeBlock } from './code-block'
import { MONO, useTheme } from './theme'

class ReplyRenderer extends Renderer {
  // The container style (padding, background) is CodeBlock's own; the text style is kept.
  code(text: string, language?: string, _container?: ViewStyle, textStyle?: TextStyle): ReactNode {
    return (
      <CodeBlock
        key={this.getKey()}
        code={text}
        {...(language ? { language } : {})}
        {...(textStyle ? { textStyle } : {})}
      />
    )
  }
}

export function ReplyMarkdown({ text }: { text: string }) {
  const colorScheme = useColorScheme()
  const theme = useTheme()
  const options = useMemo(
    () => ({
      colorScheme,
      renderer: new ReplyRenderer(),
      theme: {
        colors: { text: theme.text, link: theme.accent, code: theme.surface, border: theme.muted }
      },
      styles: {
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
