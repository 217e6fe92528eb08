// Hosts this phone connected to, newest first, kept in the Keychain (./keychain.ts, with
// expo-secure-store): a Server ID grants access, so it never goes to plain storage or a log line.
//
//   await rememberHost({ serverId, hostName, model, relay })
//   const hosts = await loadRecentHosts()
//
// A host is its public key (`hostKey`, from the code): a newer code for the same host
// replaces the older one, and the relay it last announced (server_info.relay) is kept to be
// dialled through on the next connect. Codes that no longer parse (v1 Server IDs) are dropped.

import { hostKeyOf } from './host-key'
import { keychain } from './keychain'

export interface RecentHost {
  serverId: string
  hostKey: string
  hostName: string
  model: string
  /** The blind relay the host last announced (hex public key). */
  relay?: string
  lastConnected: number
}

export const RECENT_HOSTS_KEY = 'localllm.recent-hosts'
export const MAX_RECENT_HOSTS = 8

export async function loadRecentHosts(): Promise<RecentHost[]> {
  try {
    const raw = await keychain.get(RECENT_HOSTS_KEY)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    if (!Array.isArray(parsed)) return []
    return (parsed as Partial<RecentHost>[]).flatMap((host) => {
      const hostKey = typeof host.serverId === 'string' ? hostKeyOf(host.serverId) : null
      return hostKey ? [{ ...(host as RecentHost), hostKey }] : []
    })
  } catch {
    return []
  }
}

export async function rememberHost(
  host: Omit<RecentHost, 'lastConnected' | 'hostKey'>,
  now = Date.now()
): Promise<RecentHost[]> {
  const hostKey = hostKeyOf(host.serverId)
  if (!hostKey) return loadRecentHosts()
  const others = (await loadRecentHosts()).filter((h) => h.hostKey !== hostKey)
  const entry: RecentHost = { ...host, hostKey, lastConnected: now }
  if (entry.relay === undefined) delete entry.relay
  const hosts = [entry, ...others].slice(0, MAX_RECENT_HOSTS)
  await keychain.set(RECENT_HOSTS_KEY, JSON.stringify(hosts))
  return hosts
}

export async function forgetHost(serverId: string): Promise<RecentHost[]> {
  const hosts = (await loadRecentHosts()).filter((h) => h.serverId !== serverId)
  await keychain.set(RECENT_HOSTS_KEY, JSON.stringify(hosts))
  return hosts
}
