// Which host a pairing code points at: its public key, as lowercase hex. Conversations and
// recent hosts are filed under it, so a new code for the same host (the host rotated its
// access secret after removing a device) still finds them.
//
//   hostKeyOf('localllm://connect/F2qC…')   // '0102…20', or null for an invalid code
//
// The key is public (every device the host lets in sees it); it is not the code, which
// also holds the access secret and stays in the Keychain.

import { parsePairingCode } from '@localllm/protocol'

export function hostKeyOf(code: string): string | null {
  const parsed = parsePairingCode(code)
  return parsed.ok ? toHex(parsed.hostKey) : null
}

function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return hex
}
