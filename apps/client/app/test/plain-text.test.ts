import { plainText } from '../src/state/plain-text'

test('Copy and Share get plain text: no emphasis marks, fences or link syntax', () => {
  const markdown = [
    'Here is a **tiny** _Python_ function:',
    '',
    '```python',
    'def reverse(text):',
    '    return text[::-1]',
    '```',
    '',
    'It uses `slicing`. See [the docs](https://docs.python.org).',
    '',
    '- one',
    '- two',
    '',
    '1. first',
    '2. second'
  ].join('\n')
  expect(plainText(markdown)).toBe(
    [
      'Here is a tiny Python function:',
      '',
      'def reverse(text):',
      '    return text[::-1]',
      '',
      'It uses slicing. See the docs (https://docs.python.org).',
      '',
      '• one',
      '• two',
      '',
      '1. first',
      '2. second'
    ].join('\n')
  )
})

test('headings, quotes and tables become their text', () => {
  expect(plainText('# Title\n\n> quoted *words*\n\n| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
    'Title\n\nquoted words\n\na | b\n1 | 2'
  )
})
