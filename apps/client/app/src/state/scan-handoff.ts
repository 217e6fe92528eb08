// Hands a scanned Server ID from the scanner screen back to the Connect screen, in memory
// only: a Server ID grants access, so it never travels in a route param or a log line.
//
//   handOffScannedId(code)                // scanner screen, after parsePairingCode
//   const id = takeScannedId()            // Connect screen, when it is shown again

let scanned: string | null = null

export function handOffScannedId(serverId: string): void {
  scanned = serverId
}

export function takeScannedId(): string | null {
  const id = scanned
  scanned = null
  return id
}
