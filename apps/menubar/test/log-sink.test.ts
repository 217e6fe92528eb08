// Log lines go to the rotating file and to the log window's memory at once; the debug
// level switched at run time reaches the engine's child loggers too.
import test from 'brittle'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger } from '@localllm/host'
import { LogSink } from '../src/log-sink.js'
import { formatLogLine } from '../src/log-window.js'
import { tempDir } from '@localllm/testing'

test('lines reach the file in the log folder and the live listeners', async (t) => {
  const dir = join(await tempDir(t), 'Logs')
  const sink = new LogSink({ file: join(dir, 'host.log') })
  const log = createLogger({ level: 'info', stream: sink })
  log.info('written before the file is open')
  await sink.ready()
  const live: string[] = []
  sink.on('line', (line) => live.push(line))
  log.info({ clients: 2 }, 'after')
  await sink.close()

  const [file] = await readdir(dir)
  t.ok(file?.startsWith('host.') && file.endsWith('.log'), `rotating file ${file}`)
  const text = await readFile(join(dir, file as string), 'utf8')
  t.ok(text.includes('written before the file is open'))
  t.ok(text.includes('"msg":"after"'))
  t.is(live.length, 1)
  t.is(sink.lines().length, 2, 'both kept for the window')
})

test('debug detail switched on later reaches child loggers made earlier', async (t) => {
  const sink = new LogSink()
  await sink.ready()
  const log = createLogger({ level: 'info', stream: sink })
  const chat = log.child({ component: 'chat' })
  chat.debug('hidden')
  log.level = 'debug'
  chat.debug('shown')
  t.alike(
    sink.lines().map((l) => (JSON.parse(l) as { msg: string }).msg),
    ['shown']
  )
  await sink.close()
})

test('only the newest lines are kept in memory', async (t) => {
  const sink = new LogSink({ keep: 3 })
  await sink.ready()
  for (const n of [1, 2, 3, 4, 5]) sink.write(`{"msg":"${n}"}\n`)
  t.is(sink.lines().length, 3)
  t.ok(sink.lines()[0]?.includes('"3"'))
  await sink.close()
})

test('a log line reads as time, level, message and fields', (t) => {
  const time = new Date(2025, 0, 2, 3, 4, 5).getTime()
  t.is(
    formatLogLine(JSON.stringify({ level: 30, time, msg: 'announced', server_id_prefix: '4f3a' })),
    '03:04:05 INFO  announced server_id_prefix="4f3a"'
  )
  t.is(formatLogLine('not json\n'), 'not json')
})
