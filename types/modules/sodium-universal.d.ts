// The few libsodium calls LocalLLM uses, typed for sodium-universal (which re-exports
// sodium-native on Node and Bare). Upstream ships no types for v5.
declare module 'sodium-universal' {
  const sodium: {
    crypto_generichash_BYTES: number
    crypto_generichash(out: Uint8Array, input: Uint8Array, key?: Uint8Array): void
    randombytes_buf(out: Uint8Array): void
    sodium_memcmp(a: Uint8Array, b: Uint8Array): boolean
  }
  export default sodium
}
