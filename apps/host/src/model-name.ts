// Whether a name Ollama lists is the model the host was told to use: Ollama lists
// `llama3.2:latest` for a model people call `llama3.2`.
//
//   sameModel('llama3.2:latest', 'llama3.2')   // true
//
// Ollama compares names case-insensitively and adds `:latest` to a name without a tag.

export function sameModel(listed: string, chosen: string): boolean {
  const a = listed.toLowerCase()
  const b = chosen.toLowerCase()
  return a === b || a === `${b}:latest`
}
