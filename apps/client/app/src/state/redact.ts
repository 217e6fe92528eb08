// Keeps secrets off the screen and the clipboard where logs are shown: every known secret
// (the Server IDs, the device key's seed), any `localllm://connect/…` link and any word that
// looks like a base58 Server ID (32–72 base58 characters: v2 codes are 66–72) becomes
// "[Server ID]" (a known secret that is not an ID becomes "[secret]").
//
//   redactServerIds('joining F2qC…', [currentId, ...recentIds])   // 'joining [Server ID]'

const LINK = /localllm:\/\/connect\/\S*/gi
const BASE58_WORD = /\b[1-9A-HJ-NP-Za-km-z]{32,72}\b/g
export const REDACTED = '[Server ID]'
export const REDACTED_SECRET = '[secret]'

export function redactServerIds(
  text: string,
  knownIds: readonly string[],
  otherSecrets: readonly string[] = []
): string {
  let out = text
  for (const id of knownIds) if (id) out = out.split(id).join(REDACTED)
  for (const secret of otherSecrets) if (secret) out = out.split(secret).join(REDACTED_SECRET)
  return out.replace(LINK, REDACTED).replace(BASE58_WORD, REDACTED)
}
