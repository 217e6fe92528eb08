// hypercore-id-encoding ships JavaScript only. Typed to what relay-window.ts calls: Holepunch
// keys as z-base32 (how `localllm relay` prints one) or hex.
declare module 'hypercore-id-encoding' {
  /** 32 bytes (a Buffer) as z-base32, 52 characters. */
  export function encode(key: Uint8Array): string
  /** A key as z-base32 (52 characters) or hex (64), or bytes; throws on anything else. */
  export function decode(id: string | Uint8Array): Uint8Array
}
