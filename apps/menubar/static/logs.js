// The debug log window's page: shows the lines the main process sends (see
// src/log-window.ts), follows new ones while scrolled to the bottom, and reports the debug
// checkbox and the "Show Log File" button.
/* global window, document */

const MAX_LINES = 2000
const $ = (id) => document.getElementById(id)
const lines = $('lines')

function append(texts) {
  const follow = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4
  for (const text of texts) lines.append(text + '\n')
  while (lines.childNodes.length > MAX_LINES) lines.firstChild.remove()
  if (follow) lines.scrollTop = lines.scrollHeight
}

window.localllm.onView((view) => {
  if (view.lines) {
    lines.textContent = ''
    append(view.lines)
  }
  if (view.append) append(view.append)
  if (typeof view.debug === 'boolean') $('debug').checked = view.debug
  if ('file' in view) $('file').textContent = view.file ?? 'not written to a file'
})

$('debug').addEventListener('change', () => window.localllm.send('set-debug', $('debug').checked))
$('reveal').addEventListener('click', () => window.localllm.send('reveal'))
