// Hosts this phone connected to, newest first, kept in the Keychain (./keychain.ts, with
// expo-secure-store): a Server ID grants access, so it never goes to plain storage or a log line.
//
//   await rememberHost({ serverId, hostName, model })
//   const hosts = await loadRecentHosts()

import { keychain } from './keychain'

export interface RecentHost {
  serverId: string
  hostName: string
  model: string
  lastConnected: number
}

export const RECENT_HOSTS_KEY = 'localllm.recent-hosts'
export const MAX_RECENT_HOSTS = 8

export async function loadRecentHosts(): Promise<RecentHost[]> {
  try {
    const raw = await keychain.get(RECENT_HOSTS_KEY)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(parsed) ? (parsed as RecentHost[]) : []
  } catch {
    return []
  }
}

export async function rememberHost(
  host: Omit<RecentHost, 'lastConnected'>,
  now = Date.now()
): Promise<RecentHost[]> {
  const others = (await loadRecentHosts()).filter((h) => h.serverId !== host.serverId)
  const hosts = [{ ...host, lastConnected: now }, ...others].slice(0, MAX_RECENT_HOSTS)
  await keychain.set(RECENT_HOSTS_KEY, JSON.stringify(hosts))
  return hosts
}

export async function forgetHost(serverId: string): Promise<RecentHost[]> {
  const hosts = (await loadRecentHosts()).filter((h) => h.serverId !== serverId)
  await keychain.set(RECENT_HOSTS_KEY, JSON.stringify(hosts))
  return hosts
}
