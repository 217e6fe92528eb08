// A relayed connection's first packet, sent only once the host is listening.
//
//   const stream = dht.connect(hostKey, options)
//   speakSecond(stream, (raw) => paths.isRelayed(raw))   // before hyperdht starts the stream
//
// blind-relay 1.6.1 connects each end's UDX stream at the relay only when the first packet
// from that end arrives (BlindRelayLink._onfirewall), and forwards a packet to the other end
// only if that end's stream is connected by then; otherwise the packet is dropped, and UDX
// resends it only on its 1 s initial retransmission timeout. Both ends learn "paired" at
// about the same moment and send their Noise header at once, so the first to send loses it:
// in the NAT lab (sym ↔ cone) the phone's header, and `hello` waited 1 s behind it.
//
// So on a relayed stream the phone first sends an empty UDX message (nothing to the Noise
// stream: hyperdht sends the same on a direct upgrade), which connects its end at the relay,
// and sends its own header only after the host's first packet came through (at most
// `maxWaitMs`). That still loses a second when the host's header reached the relay before
// our empty message (it is then resent); on a direct stream nothing changes.

import type { NoiseStream, RawStream } from 'hyperdht'

type Address = Pick<RawStream, 'remoteHost' | 'remotePort'>

interface UdxStream extends Address {
  on(event: 'data', listener: (data: Uint8Array) => void): this
  on(event: 'close', listener: () => void): this
  off(event: 'data' | 'close', listener: (...args: never[]) => void): this
  pause(): this
  trySend?(data: Uint8Array): void
}

type Start = (raw: UdxStream | null, opts?: { data?: Uint8Array }) => void

export function speakSecond(
  stream: NoiseStream,
  isRelayed: (raw: Address) => boolean,
  maxWaitMs = 1000
): void {
  const noise = stream as unknown as { start: Start; destroying?: boolean }
  const start = noise.start.bind(noise)
  noise.start = (raw, opts = {}) => {
    if (!raw || opts.data || !isRelayed(raw)) return start(raw, opts)
    let waiting = true
    const go = (data?: Uint8Array) => {
      if (!waiting) return
      waiting = false
      clearTimeout(timer)
      raw.off('data', go)
      raw.off('close', closed)
      raw.pause() // later packets wait in the stream until the Noise stream reads them
      if (stream.destroyed || noise.destroying) return // hyperdht destroys the raw stream
      start(raw, data ? { ...opts, data } : opts)
    }
    const closed = () => {
      go()
      stream.destroy()
    }
    const timer = setTimeout(go, maxWaitMs)
    raw.on('data', go)
    raw.on('close', closed)
    raw.trySend?.(new Uint8Array(0)) // connects our end at the relay (see above)
  }
}
