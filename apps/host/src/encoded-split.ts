// Splits text so that each piece, written as a JSON string on the wire, takes at most
// `maxBytes` UTF-8 bytes: the size that counts against a line limit is the escaped one, so
// 16,384 × U+0001 (six bytes each as `\u0001`) goes out in pieces rather than as one line
// over 64 KiB. A character, and a surrogate pair, is never cut.
//
//   splitByEncodedSize('…', 16 * 1024)   // ['…'] for anything short; pieces otherwise
//
// Linear in the text; a text short enough even at six bytes a unit is returned without a scan.

/** UTF-8 bytes of one UTF-16 unit `code` inside a JSON string, as JSON.stringify writes it. */
function unitBytes(code: number): number {
  if (code < 0x20)
    return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6
  if (code === 0x22 || code === 0x5c) return 2 // \" and \\
  if (code < 0x80) return 1
  if (code < 0x800) return 2
  return 3 // BMP; surrogates are handled by the caller
}

/** Bytes `text` takes as the contents of a JSON string (without the quotes). */
export function encodedSize(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      bytes += 4
      i++
    } else if (code >= 0xd800 && code <= 0xdfff) {
      bytes += 6 // a lone surrogate: JSON.stringify writes \udXXX
    } else {
      bytes += unitBytes(code)
    }
  }
  return bytes
}

export function splitByEncodedSize(text: string, maxBytes: number): string[] {
  // Six bytes is the most one UTF-16 unit can take (a pair takes four for two).
  if (text.length * 6 <= maxBytes) return [text]
  const pieces: string[] = []
  let start = 0
  let bytes = 0
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i)
    let units = 1
    let size: number
    if (code >= 0xd800 && code <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      units = 2
      size = 4
    } else if (code >= 0xd800 && code <= 0xdfff) {
      size = 6
    } else {
      size = unitBytes(code)
    }
    if (bytes + size > maxBytes && i > start) {
      pieces.push(text.slice(start, i))
      start = i
      bytes = 0
    }
    bytes += size
    i += units
  }
  if (start < text.length) pieces.push(text.slice(start))
  return pieces
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
