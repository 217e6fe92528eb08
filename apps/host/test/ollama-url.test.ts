// OLLAMA_HOST (and --ollama) read the way Ollama itself reads it (its envconfig/config.go).
import test from 'brittle'
import { resolveOllamaUrl } from '../src/ollama-url.js'

test('unset or blank means Ollama on this machine, port 11434', (t) => {
  t.is(resolveOllamaUrl(undefined), 'http://127.0.0.1:11434')
  t.is(resolveOllamaUrl(''), 'http://127.0.0.1:11434')
  t.is(resolveOllamaUrl('   '), 'http://127.0.0.1:11434')
})

test('a bare host gets http and port 11434', (t) => {
  t.is(resolveOllamaUrl('1.2.3.4'), 'http://1.2.3.4:11434')
  t.is(resolveOllamaUrl('studio.local'), 'http://studio.local:11434')
})

test('a host with a port keeps the port', (t) => {
  t.is(resolveOllamaUrl('1.2.3.4:8080'), 'http://1.2.3.4:8080')
  t.is(resolveOllamaUrl('http://h:1234'), 'http://h:1234')
})

test('an empty host before the port means this machine', (t) => {
  t.is(resolveOllamaUrl(':8080'), 'http://127.0.0.1:8080')
})

test('an explicit scheme without a port gets the scheme’s port, not 11434', (t) => {
  t.is(resolveOllamaUrl('http://h'), 'http://h:80')
  t.is(resolveOllamaUrl('https://h'), 'https://h:443')
})

test('a path is kept (Ollama behind a reverse proxy)', (t) => {
  t.is(resolveOllamaUrl('https://h/ollama'), 'https://h:443/ollama')
  t.is(resolveOllamaUrl('https://h/ollama/'), 'https://h:443/ollama', 'without a trailing slash')
})

test('an IPv6 address is bracketed', (t) => {
  t.is(resolveOllamaUrl('::1'), 'http://[::1]:11434')
  t.is(resolveOllamaUrl('[::1]:8080'), 'http://[::1]:8080')
})

test('whitespace around the value is ignored', (t) => {
  t.is(resolveOllamaUrl('  1.2.3.4  '), 'http://1.2.3.4:11434')
  t.is(resolveOllamaUrl('\thttps://h/ollama\n'), 'https://h:443/ollama')
})

test('what cannot be an Ollama address is refused, not guessed', (t) => {
  for (const value of ['ftp://x', 'http://', 'https://', 'h h', 'h:99999', 'http://h:abc']) {
    t.is(resolveOllamaUrl(value), undefined, JSON.stringify(value))
  }
})
