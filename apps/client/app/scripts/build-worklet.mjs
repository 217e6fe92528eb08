// Packs the Bare worklet (apps/client/worklet, compiled by the repo's `tsc -b`) into the
// bundles the app starts with react-native-bare-kit: `node scripts/build-worklet.mjs`
// writes dist/worklet/app.ios.bundle.mjs and dist/worklet/app.android.bundle.mjs.
// `--preset ios|android` resolves native addons as `linked:` specifiers (iOS frameworks,
// Android .so libraries) that bare-kit links into the app; Metro then inlines the
// platform's bundle as a string (src/worklet/bundle.ts, src/worklet/bundle.android.ts).
//
// Every non-ASCII character in the bundled JavaScript and JSON (a few dozen, in comments
// and strings) is written as a \uXXXX escape: one such character makes Hermes keep the whole
// ~1 MB string as UTF-16, doubling the worklet's share of the app. The escapes mean the
// same to JavaScript and JSON; the bundle is checked to be pure ASCII afterwards, and a
// linux-x64 bundle packed and escaped the same way is started under `bare` as a smoke test.

/* eslint-disable no-restricted-imports -- a Node build script; it never runs under Bare */
import { execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Bundle from 'bare-bundle'

const app = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(app, '../../..')
const entry = join(app, '../worklet/dist/src/worklet.js')

const TEXT_FILE = /\.(c|m)?js$|\.json$/
const NON_ASCII = /[^\x00-\x7f]/g // UTF-16 units: an emoji becomes its two surrogate escapes
const HAS_NON_ASCII = /[^\x00-\x7f]/
const BARE_PACK = join(app, 'node_modules/.bin/bare-pack')

/** bare-pack, then the non-ASCII escapes: the bundle's text, pure ASCII. */
function pack(entry, out, flags) {
  const raw = `${out}.tmp.bundle`
  mkdirSync(dirname(out), { recursive: true })
  execFileSync(BARE_PACK, [...flags, '--base', root, '--format', 'bundle', '--out', raw, entry], {
    stdio: 'inherit'
  })
  const bundle = Bundle.from(readFileSync(raw))
  rmSync(raw)
  let escaped = 0
  for (const key of bundle.keys()) {
    if (!TEXT_FILE.test(key)) continue
    const text = bundle.read(key).toString('utf8')
    if (!HAS_NON_ASCII.test(text)) continue
    bundle.write(
      key,
      text.replace(NON_ASCII, (c) => {
        escaped++
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
      })
    )
  }
  const text = bundle.toBuffer().toString('utf8')
  const left = text.match(NON_ASCII)
  if (left) throw new Error(`${out} still has non-ASCII characters: ${left.join('')}`)
  return { text, escaped }
}

for (const platform of ['ios', 'android']) {
  const out = join(app, `dist/worklet/app.${platform}.bundle.mjs`)
  const { text, escaped } = pack(entry, out, ['--preset', platform])
  writeFileSync(out, `export default ${JSON.stringify(text)}\n`)
  console.log(
    `worklet bundle (${platform}): ${statSync(out).size} bytes -> ${out}` +
      ` (${escaped} non-ASCII characters escaped)`
  )
}

// The same packing and escaping for this machine (bin/stdio.js as the entry), run under the
// real `bare`: the packed worklet must start and answer, or the phone's would not either.
const bare = join(root, 'node_modules/.bin/bare')
if (process.platform === 'linux' && process.arch === 'x64' && existsSync(bare)) {
  const dir = mkdtempSync(join(tmpdir(), 'localllm-worklet-'))
  try {
    const out = join(dir, 'app.bundle')
    const stdio = join(app, '../worklet/bin/stdio.js')
    writeFileSync(out, pack(stdio, out, ['--host', 'linux-x64', '--offload-addons']).text)
    const events = await firstEvents(bare, out, dir)
    if (!events.includes('"event":"ready"')) throw new Error(`the packed worklet said: ${events}`)
    console.log('worklet bundle (linux-x64, escaped the same way): starts under bare and answers')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
} else {
  console.log('worklet bundle smoke run skipped: no linux-x64 `bare` in the repo root')
}

/** Starts the bundle under bare with a pipe for its IPC; its output until `ready` (≤ 15 s). */
function firstEvents(bare, bundle, cwd) {
  return new Promise((resolve) => {
    const child = spawn(bare, [bundle], { cwd, stdio: ['pipe', 'pipe', 'inherit'] })
    let output = ''
    const done = () => {
      clearTimeout(timer)
      child.kill()
      resolve(output)
    }
    const timer = setTimeout(done, 15000)
    child.stdout.on('data', (d) => {
      output += d
      if (output.includes('"event":"ready"')) done()
    })
    child.on('close', done)
  })
}
