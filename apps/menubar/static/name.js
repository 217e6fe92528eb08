// The "Display Name…" window's page: the field and its Save/Cancel; the main process checks
// the name (see src/name-window.ts) and sends back an error, or closes the window.
/* global window, document */

const $ = (id) => document.getElementById(id)

window.localllm.onView((view) => {
  if (typeof view.displayName === 'string') {
    $('name').value = view.displayName
    $('name').maxLength = view.maxLength
    $('name').select()
  }
  $('error').hidden = !view.error
  $('error').textContent = view.error ?? ''
})

$('form').addEventListener('submit', (event) => {
  event.preventDefault()
  window.localllm.send('save', $('name').value)
})
$('cancel').addEventListener('click', () => window.localllm.send('cancel'))
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') window.localllm.send('cancel')
})
