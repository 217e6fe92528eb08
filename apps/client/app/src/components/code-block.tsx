// A fenced code block in a reply: its language, a Copy button that copies exactly the code,
// and the code in a monospaced font that scrolls sideways instead of wrapping.
//
//   <CodeBlock code='print(1)' language='python' />   // from ReplyMarkdown's renderer
import { ScrollView, StyleSheet, Text, View, type TextStyle } from 'react-native'
import { CopyButton } from './copy-button'
import { MONO, useTheme } from './theme'

export function CodeBlock({
  code,
  language,
  textStyle
}: {
  code: string
  language?: string
  textStyle?: TextStyle
}) {
  const theme = useTheme()
  return (
    <View testID='code-block' style={[styles.block, { backgroundColor: theme.surface }]}>
      <View style={styles.bar}>
        <Text style={[styles.language, { color: theme.muted }]}>{language || 'code'}</Text>
        <CopyButton text={() => code} accessibilityLabel='Copy code' />
      </View>
      <ScrollView horizontal contentContainerStyle={styles.code}>
        {/* A View between ScrollView and Text: Yoga cannot measure a bare Text child here. */}
        <View>
          <Text selectable style={[textStyle, styles.codeText, { color: theme.text }]}>
            {code}
          </Text>
        </View>
      </ScrollView>
    </View>
  )
}

const styles = StyleSheet.create({
  block: { borderRadius: 8, marginVertical: 4, overflow: 'hidden' },
  bar: {
    flexDirection: 'row',
    alignItems: 'center',
    justifyContent: 'space-between',
    paddingLeft: 12
  },
  language: { fontSize: 13 },
  code: { paddingHorizontal: 12, paddingBottom: 10 },
  codeText: { fontFamily: MONO, fontSize: 14, lineHeight: 20 }
})
