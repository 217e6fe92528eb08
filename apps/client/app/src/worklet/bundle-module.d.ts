// bare-pack's `bundle.mjs` format: an ES module whose default export is the bundle text.
declare module '*.bundle.mjs' {
  const source: string
  export default source
}
