// LocalLLM.app as electron-builder makes it on this machine: `electron-builder --mac --dir`
// over the stand-in Electron.app, offline, once per test process (it takes a while), in a
// temp folder removed when the process exits; then what is inside its app.asar.
//
//   const app = await packagedApp()          // { contents, asar, entries, … }
//   app.entries.find((e) => e.path === 'dist/src/electron-entry.js')   // { unpacked: false }
//
// Every file of app.asar is listed from its header, with whether it is unpacked beside it.

import { getRawHeader } from '@electron/asar'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeAppIcon } from '../../src/app-icon.js'
import { electronSkeleton } from './electron-skeleton.js'

export const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url))
export const ROOT = join(PACKAGE_DIR, '..', '..')
const BUILDER = join(ROOT, 'node_modules', 'electron-builder', 'cli.js')

export interface AsarEntry {
  /** The path inside the archive, with forward slashes. */
  path: string
  /** Stored in app.asar.unpacked/ beside the archive instead of inside it. */
  unpacked: boolean
}

export interface PackagedApp {
  /** electron-builder's exit code and output. */
  code: number | null
  output: string
  /** …/LocalLLM.app/Contents */
  contents: string
  asar: string
  unpackedDir: string
  entries: AsarEntry[]
}

let built: Promise<PackagedApp> | undefined

export function packagedApp(): Promise<PackagedApp> {
  built ??= build()
  return built
}

async function build(): Promise<PackagedApp> {
  const dir = mkdtempSync(join(tmpdir(), 'localllm-package-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const electronDist = await electronSkeleton(join(dir, 'electron'))
  await writeAppIcon(join(dir, 'resources', 'icon.icns'))
  const output = join(dir, 'release')
  const { code, text } = await run([
    '--mac',
    '--dir',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${output}`,
    `-c.directories.buildResources=${join(dir, 'resources')}`
  ])
  const [macDir] = (await readdir(output).catch(() => [])).filter((d) => d.startsWith('mac'))
  const contents = join(output, macDir ?? 'mac', 'LocalLLM.app', 'Contents')
  const asar = join(contents, 'Resources', 'app.asar')
  const entries = code === 0 ? asarEntries(asar) : []
  return { code, output: text, contents, asar, unpackedDir: `${asar}.unpacked`, entries }
}

function run(args: string[]): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILDER, ...args], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, // it would ask the npm registry
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d.toString()))
    child.stderr.on('data', (d: Buffer) => (text += d.toString()))
    child.on('close', (code) => resolve({ code, text }))
  })
}

interface HeaderNode {
  files?: Record<string, HeaderNode>
  unpacked?: boolean
}

function asarEntries(asar: string): AsarEntry[] {
  const out: AsarEntry[] = []
  const walk = (node: HeaderNode, prefix: string, unpacked: boolean) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const inherited = unpacked || child.unpacked === true
      if (child.files) walk(child, `${prefix}${name}/`, inherited)
      else out.push({ path: prefix + name, unpacked: inherited })
    }
  }
  walk(getRawHeader(asar).header, '', false)
  return out
}
