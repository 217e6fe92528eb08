// The "Relay…" window's page: the key field, Save, Turn Off and Cancel; the main process
// checks the key (see src/relay-window.ts) and sends back an error, or closes the window.
/* global window, document */

const $ = (id) => document.getElementById(id)

window.localllm.onView((view) => {
  if (typeof view.relay === 'string') {
    $('key').value = view.relay
    $('turn-off').hidden = view.relay === ''
    $('restart').hidden = !view.running
    $('key').select()
  }
  $('error').hidden = !view.error
  $('error').textContent = view.error ?? ''
})

$('form').addEventListener('submit', (event) => {
  event.preventDefault()
  window.localllm.send('save', $('key').value)
})
$('turn-off').addEventListener('click', () => window.localllm.send('turn-off'))
$('cancel').addEventListener('click', () => window.localllm.send('cancel'))
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') window.localllm.send('cancel')
})
