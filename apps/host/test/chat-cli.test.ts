// `localllm chat` as a person uses it: the code from an argument, a file or the environment,
// one conversation that the host sees whole, `/new`, lines from a pipe answered in order,
// reasoning kept apart, sentences instead of codes.
import test from 'brittle'
import { stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { formatBootstrap } from '@localllm/core'
import { runCli, spawnCli, tempDir } from '@localllm/testing'
import { runChat } from '../src/cli/chat-command.js'
import { startWorld, type World } from './helpers/world.js'

function chatArgs(w: World, configDir: string, ...extra: string[]): string[] {
  return ['chat', '--bootstrap', formatBootstrap(w.bootstrap), '--config-dir', configDir, ...extra]
}

async function chatProcess(t: TestContext, args: string[], input: string) {
  const chat = spawnCli(t, args, { stdin: input })
  const exit = await chat.exited(30_000)
  return { ...exit, stdout: chat.output, stderr: chat.stderr }
}

test('the code from the environment or a file; the device key kept owner-only and reused', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'Hi from the host.' } })
  const configDir = await tempDir(t)
  const fromEnv = await runCli(chatArgs(w, configDir, '--prompt', 'hello'), {
    env: { LOCALLLM_SERVER_ID: w.serverId },
    timeoutMs: 30_000
  })
  t.is(fromEnv.code, 0, fromEnv.stderr)
  t.ok(fromEnv.stdout.includes('Hi from the host.'))
  const file = join(configDir, 'code.txt')
  await writeFile(file, `${w.serverId}\n`)
  const fromFile = await runCli(chatArgs(w, configDir, '--code-file', file, '--prompt', 'again'), {
    timeoutMs: 30_000
  })
  t.is(fromFile.code, 0, fromFile.stderr)
  t.is(w.host.state.devices.length, 1, 'both runs were the same device')
  t.is((await stat(join(configDir, 'client.json'))).mode & 0o777, 0o600)
  const none = await runCli(chatArgs(w, configDir, '--prompt', 'x'))
  t.is(none.code, 2, 'no code anywhere: usage')
  t.ok(none.stderr.includes('LOCALLLM_SERVER_ID'), none.stderr)
})

test('lines from a pipe are one conversation, answered in order; /new starts over', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'ok.' } })
  const configDir = await tempDir(t)
  const run = await chatProcess(
    t,
    chatArgs(w, configDir, w.serverId),
    'My name is Ana.\nWhat is my name?\n/new\nWho am I?\n'
  )
  t.is(run.code, 0, run.stderr)
  t.is(run.stdout.split('ok.').length - 1, 3, 'three replies')
  t.alike(
    w.standin.requests.map((r) => r.messageCount),
    [1, 3, 1],
    'the second request carried the first exchange; /new dropped it'
  )
  t.alike(
    w.standin.requests.map((r) => r.prompt),
    ['My name is Ana.', 'What is my name?', 'Who am I?'],
    'in order'
  )
})

test('errors read as sentences, not codes; a failed request exits 4', async (t) => {
  const w = await startWorld(t, { host: { model: 'not-installed:latest' } })
  const configDir = await tempDir(t)
  const run = await runCli(chatArgs(w, configDir, w.serverId, '--prompt', 'hi'), {
    timeoutMs: 30_000
  })
  t.is(run.code, 4)
  t.ok(run.stderr.includes("can't answer right now"), run.stderr)
  t.ok(run.stderr.includes("The host's selected model isn't installed"), run.stderr)
  t.absent(/[A-Z]{2,}_[A-Z_]+:/.test(run.stderr), 'no raw error codes')
})

test('`chat --help` names the public DHT default once', async (t) => {
  const help = await runCli(['chat', '--help'])
  t.is(help.code, 0)
  t.is(help.stdout.split('the public DHT').length - 1, 1, help.stdout)
  t.ok(help.stdout.includes('--code-file'))
})

test('reasoning is shown dimmed on a terminal and never sent back as history', async (t) => {
  const w = await startWorld(t, {
    standin: { models: [{ name: 'thinker:latest', thinking: true }], reply: 'Porto.' }
  })
  const out = new PassThrough()
  let printed = ''
  out.on('data', (d: Buffer) => (printed += d.toString()))
  const code = await runChat({
    code: w.serverId,
    bootstrap: w.bootstrap,
    configDir: await tempDir(t),
    stdin: Readable.from(['Where do I live?\n', 'And again?\n']),
    interactive: false,
    stdout: out,
    stderr: new PassThrough(),
    color: true
  })
  t.is(code, 0)
  t.is(w.standin.requests[1]?.messageCount, 3, 'the second request carried the first exchange')
  const dim = printed.indexOf('\x1b[2m')
  const undim = printed.indexOf('\x1b[22m')
  t.ok(dim !== -1 && undim > dim, 'reasoning between dim on and dim off')
  t.ok(printed.slice(undim).includes('Porto.'), 'the answer after it, not dimmed')
})
