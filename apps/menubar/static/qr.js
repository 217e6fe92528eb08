// The QR window's page: places what the main process sends (see src/qr-window.ts) and asks
// it to copy the Server ID. The SVG comes from the `qrcode` package in the main process.
/* global window, document, setTimeout, clearTimeout */

const $ = (id) => document.getElementById(id)
let copiedTimer

window.localllm.onView((view) => {
  $('shown').hidden = !view
  $('empty').hidden = Boolean(view)
  if (!view) return
  $('qr').innerHTML = view.svg
  $('qr').dataset.link = view.link
  $('name').textContent = view.displayName
  $('model').textContent = view.model ? `Serving ${view.model}` : 'No model chosen yet'
  $('server-id').textContent = view.serverId
  $('stopped').hidden = view.running
})

$('copy').addEventListener('click', () => {
  window.localllm.send('copy')
  $('copy').textContent = 'Copied'
  clearTimeout(copiedTimer)
  copiedTimer = setTimeout(() => ($('copy').textContent = 'Copy'), 1500)
})
