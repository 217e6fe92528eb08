// OLLAMA_HOST as Ollama itself reads it (envconfig/config.go), turned into the base URL the
// `ollama` client is given. The client does not read the variable itself.
//
//   resolveOllamaUrl(undefined)          // 'http://127.0.0.1:11434'
//   resolveOllamaUrl('1.2.3.4')          // 'http://1.2.3.4:11434'
//   resolveOllamaUrl('https://h/ollama') // 'https://h:443/ollama'
//   resolveOllamaUrl('::1')              // 'http://[::1]:11434'

const DEFAULT_PORT = '11434'

/** The base URL for an OLLAMA_HOST value; undefined when it cannot be a URL. */
export function resolveOllamaUrl(value: string | undefined): string | undefined {
  let text = (value ?? '').trim()
  if (text === '') return `http://127.0.0.1:${DEFAULT_PORT}`

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)
  const scheme = schemeMatch ? (schemeMatch[1] as string).toLowerCase() : 'http'
  if (schemeMatch) text = text.slice(schemeMatch[0].length)

  // A bare IPv6 address (several colons, no brackets) is a host without a port.
  if (!text.startsWith('[') && (text.match(/:/g) ?? []).length > 1 && !text.includes('/')) {
    text = `[${text}]`
  }
  const slash = text.indexOf('/')
  const authority = slash === -1 ? text : text.slice(0, slash)
  const path = slash === -1 ? '' : text.slice(slash).replace(/\/+$/, '')
  // `http://` alone is a typo, not "127.0.0.1 on port 80" (what Ollama itself would make of it).
  if (schemeMatch && authority === '') return undefined

  let host = authority
  let port = ''
  const portMatch = /^(.*):(\d*)$/.exec(authority)
  if (portMatch && !authority.endsWith(']')) {
    host = portMatch[1] as string
    port = portMatch[2] as string
  }
  if (host === '') host = '127.0.0.1'
  if (port === '') {
    port = schemeMatch
      ? scheme === 'https'
        ? '443'
        : scheme === 'http'
          ? '80'
          : DEFAULT_PORT
      : DEFAULT_PORT
  }
  try {
    const url = new URL(`${scheme}://${host}:${port}${path}`)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return `${url.protocol}//${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${port}${path}`
  } catch {
    return undefined
  }
}
