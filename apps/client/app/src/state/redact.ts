// Keeps Server IDs off the screen and the clipboard where logs are shown: every known ID,
// any `localllm://connect/…` link and any word that looks like a base58 Server ID (32–44
// base58 characters) becomes "[Server ID]".
//
//   redactServerIds('joining 3yZe7d…', [currentId, ...recentIds])   // 'joining [Server ID]'

const LINK = /localllm:\/\/connect\/\S*/gi
const BASE58_WORD = /\b[1-9A-HJ-NP-Za-km-z]{32,44}\b/g
export const REDACTED = '[Server ID]'

export function redactServerIds(text: string, knownIds: readonly string[]): string {
  let out = text
  for (const id of knownIds) if (id) out = out.split(id).join(REDACTED)
  return out.replace(LINK, REDACTED).replace(BASE58_WORD, REDACTED)
}
