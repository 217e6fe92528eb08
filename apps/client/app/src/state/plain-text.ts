// A reply's Markdown as the plain text a person would paste: Copy and Share hand this on,
// not the raw Markdown (no `**`, no fences, no link syntax).
//
//   plainText('Use **slicing**:\n\n```py\ns[::-1]\n```')   // 'Use slicing:\n\ns[::-1]'
//
// Parsed with marked's lexer (the one react-native-marked renders with), so what is copied
// matches what is shown: lists keep "•" or "1." bullets, links keep their address.

import { MarkedLexer, type Token, type Tokens } from 'react-native-marked'

export function plainText(markdown: string): string {
  return blocks(MarkedLexer(markdown)).trim()
}

function blocks(tokens: readonly Token[]): string {
  return tokens
    .map(block)
    .filter((text) => text !== '')
    .join('\n\n')
}

function block(token: Token): string {
  switch (token.type) {
    case 'space':
    case 'hr':
      return ''
    case 'paragraph':
    case 'heading':
      return inline((token as Tokens.Paragraph).tokens)
    case 'code':
      return (token as Tokens.Code).text
    case 'blockquote':
      return blocks((token as Tokens.Blockquote).tokens)
    case 'list': {
      const list = token as Tokens.List
      const first = typeof list.start === 'number' ? list.start : 1
      return list.items
        .map((item, i) => {
          const bullet = list.ordered ? `${first + i}. ` : '• '
          const body = blocks(item.tokens).replace(/\n\n/g, '\n')
          return bullet + body.replace(/\n/g, `\n${' '.repeat(bullet.length)}`)
        })
        .join('\n')
    }
    case 'table': {
      const table = token as Tokens.Table
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens)).join(' | ')
      return [row(table.header), ...table.rows.map(row)].join('\n')
    }
    case 'text': {
      const text = token as Tokens.Text
      return text.tokens ? inline(text.tokens) : text.text
    }
    case 'html':
      return (token as Tokens.HTML).text
    default:
      return token.raw
  }
}

function inline(tokens: readonly Token[] | undefined): string {
  if (!tokens) return ''
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'strong':
        case 'em':
        case 'del':
          return inline((token as Tokens.Strong).tokens)
        case 'link': {
          const link = token as Tokens.Link
          const text = inline(link.tokens)
          return text === link.href || link.href.startsWith('mailto:')
            ? text
            : `${text} (${link.href})`
        }
        case 'image':
          return (token as Tokens.Image).text
        case 'br':
          return '\n'
        case 'codespan':
        case 'escape':
        case 'html':
          return (token as Tokens.Codespan).text
        case 'text': {
          const text = token as Tokens.Text
          return text.tokens ? inline(text.tokens) : text.text
        }
        default:
          return token.raw
      }
    })
    .join('')
}
