// What the Ollama stand-in answers in the web preview and its browser test: a short reply
// with a code block, inline code and bold text, so the Markdown rendering shows.

export const SAMPLE_REPLY = `Here is a tiny Python function that reverses a string:

\`\`\`python
def reverse(text: str) -> str:
    return text[::-1]
\`\`\`

It uses **slicing** with a step of \`-1\`, which walks the string from the end to the start. For example, \`reverse("LocalLLM")\` returns \`"MLLlacoL"\`.`
