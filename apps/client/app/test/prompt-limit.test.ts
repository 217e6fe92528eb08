import { promptLimit, utf8ByteLength } from '../src/state/prompt-limit'

test('counts UTF-8 bytes, not characters', () => {
  expect(utf8ByteLength('aé€😀')).toBe(1 + 2 + 3 + 4)
})

test('warns from 90 % of 8 KB and blocks above 8 KB', () => {
  expect(promptLimit('a'.repeat(7372)).level).toBe('ok')
  expect(promptLimit('a'.repeat(7373)).level).toBe('warn')
  expect(promptLimit('a'.repeat(8192)).level).toBe('warn')
  expect(promptLimit('a'.repeat(8193))).toMatchObject({ bytes: 8193, max: 8192, level: 'over' })
})
