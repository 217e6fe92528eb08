// `localllm-standin` as a separate process, started through its bin the way `npx
// localllm-standin` starts it, and spoken to over HTTP, the way the demo and the benchmarks
// run it.

import test from 'brittle'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface, type Interface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { contentOf, readLines, type Teardown } from './helpers/index.js'

const CLI = fileURLToPath(new URL('../../bin/localllm-standin.js', import.meta.url))

interface Cli {
  child: ChildProcess
  next(): Promise<string>
}

function startCli(t: Teardown, args: string[]): Cli {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const lines: Interface = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const iterator: AsyncIterator<string> = lines[Symbol.asyncIterator]()
  return {
    child,
    async next() {
      const result = await iterator.next()
      if (result.done === true) throw new Error('the CLI ended its output')
      return result.value
    }
  }
}

test('cli: prints its URL first, serves the scripted reply, stops cleanly on SIGTERM', async (t) => {
  const cli = startCli(t, ['--models', 'llama3.2,qwen3:8b', '--reply', 'Reply from the CLI'])
  const url = await cli.next()
  t.ok(/^http:\/\/127\.0\.0\.1:\d+$/.test(url), `first line is the URL: ${url}`)

  const tags = (await (await fetch(url + '/api/tags')).json()) as { models: { name: string }[] }
  t.alike(
    tags.models.map((m) => m.name),
    ['llama3.2:latest', 'qwen3:8b']
  )
  const res = await fetch(url + '/api/chat', {
    method: 'POST',
    body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
  })
  t.is(contentOf(await readLines(res)), 'Reply from the CLI')

  cli.child.kill('SIGTERM')
  const [code] = (await once(cli.child, 'exit')) as [number | null]
  t.is(code, 0)
})

test('cli: --json prints one JSON line per event, and the control API scripts it', async (t) => {
  const cli = startCli(t, ['--json', '--tokens', '3', '--load-delay', '10'])
  const listening = JSON.parse(await cli.next()) as { event: string; url: string }
  t.is(listening.event, 'listening')
  const { url } = listening

  await fetch(url + '/_standin/script', {
    method: 'POST',
    body: JSON.stringify({ failure: { kind: 'status', status: 500, error: 'scripted' } })
  })
  const failed = await fetch(url + '/api/chat', {
    method: 'POST',
    body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
  })
  t.is(failed.status, 500)
  await failed.text()

  const events: { event: string; request?: { outcome: string } }[] = []
  while (events.at(-1)?.event !== 'end')
    events.push(JSON.parse(await cli.next()) as (typeof events)[0])
  t.alike(
    events.map((e) => e.event),
    ['request', 'end']
  )
  t.is(events[1]?.request?.outcome, 'error_before_first_token')

  cli.child.kill('SIGINT')
  t.is((JSON.parse(await cli.next()) as { event: string }).event, 'closed')
  const [code] = (await once(cli.child, 'exit')) as [number | null]
  t.is(code, 0)
})

test('cli: --help explains every flag', (t) => {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' })
  t.is(help.status, 0)
  t.ok(help.stdout.startsWith('Usage: localllm-standin '), 'named as the command people type')
  for (const flag of [
    '--port',
    '--host',
    '--models',
    '--reply',
    '--tokens',
    '--tokens-per-second',
    '--load-delay',
    '--first-token-delay',
    '--json',
    '/_standin/'
  ]) {
    t.ok(help.stdout.includes(flag), flag)
  }
})

test('cli: a bad flag value is refused before anything listens', (t) => {
  const bad = spawnSync(process.execPath, [CLI, '--tokens-per-second', 'fast'], {
    encoding: 'utf8'
  })
  t.is(bad.status, 1)
  t.ok(bad.stderr.includes('--tokens-per-second'))
})
