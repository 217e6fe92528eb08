// A slice of `npm run soak`: five clients, every kind of abort, disconnect and stand-in fault.
import test from 'brittle'
import { soak } from '../src/soak.js'

test('under aborts, disconnects and Ollama faults every request ends once and the gate never sticks', async (t) => {
  const report = await soak({
    requests: 600,
    seed: 5,
    standinRestartEvery: 250,
    checkpointEvery: 200
  })
  t.comment(
    `${report.requests} requests, terminals ${JSON.stringify(report.terminals)}, faults ` +
      `${JSON.stringify(report.faults)}, gate released at most ` +
      `${Math.round(report.gate.maxReleaseAfterOllamaMs)} ms after Ollama closed`
  )
  t.ok(report.requests >= 600)
  t.is(report.afterTerminal, 0, 'nothing after a terminal message')
  t.is(report.strayTerminals, 0, 'no terminal for an id never sent')
  t.is(report.gate.overlapping, 0, 'Ollama is never asked for a reply while another is open')
  t.ok(report.gate.maxReleaseAfterOllamaMs <= 1000, 'the gate is free within 1 s')
  t.is(report.leftClients.tokensAfterCancel, 0, 'no token after a cancel')
  t.ok(report.samples.length >= 3, 'the host was sampled at every checkpoint')
  t.alike(report.violations, [])
})
