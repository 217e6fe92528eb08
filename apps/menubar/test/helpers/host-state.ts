// HostState values for tests: a stopped host with nothing known yet, changed field by field.
//
//   const state = hostState({ status: 'ready', model: 'llama3.2', models: ['llama3.2'] })

import { stoppedHostState, type HostState } from '@localllm/host'
import { connectLink, formatPairingCode } from '@localllm/protocol'
import { generateAccessSecret, generateKeySeed } from '@localllm/protocol/capability'

export function hostState(changes: Partial<HostState> = {}): HostState {
  return { ...stoppedHostState('http://127.0.0.1:11434'), ...changes }
}

/** A real, freshly generated pairing code (Server ID) and its connect link. */
export function newIdentity(): { serverId: string; connectLink: string } {
  return identity(generateKeySeed(), generateAccessSecret())
}

/** Always the same Server ID, so a committed screenshot does not change on every run. */
export function fixedIdentity(): { serverId: string; connectLink: string } {
  return identity(
    Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256),
    Uint8Array.from({ length: 16 }, (_, i) => (i * 53 + 7) % 256)
  )
}

function identity(
  hostKey: Uint8Array,
  secret: Uint8Array
): { serverId: string; connectLink: string } {
  const serverId = formatPairingCode(hostKey, secret)
  return { serverId, connectLink: connectLink(serverId) }
}
