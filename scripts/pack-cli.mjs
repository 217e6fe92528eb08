// Packs what `npm i -g localllm` / `npx localllm host` installs: `localllm` (the host
// workspace's compiled CLI and engine, with an npm-shrinkwrap.json of the tested versions)
// and the two workspaces it depends on, `@localllm/protocol` and `@localllm/core`, published
// alongside it at the same version. Needs `npm run build` first; works offline.
//
//   node scripts/pack-cli.mjs [out-dir]   # the tarballs to publish, in order (default: dist/)
//   import { packCli } from './pack-cli.mjs'; const { tarballs } = packCli({ outDir })
//
// Each is packed from a staging copy: the published manifest drops `private`, scripts and
// devDependencies, and the host's registry name (`localllm`) is not its workspace name
// (`@localllm/host`, which the menu bar app and the tests import).

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runtimeLockfile } from './runtime-lockfile.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** The registry name of the host workspace; it keeps `@localllm/host` inside the repository. */
const NAME = 'localllm'
const HOST = 'apps/host'
/** Published alongside, in dependency order. */
const LIBRARIES = ['packages/protocol', 'packages/core']

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { tarballs } = packCli({ outDir: resolve(process.argv[2] ?? join(root, 'dist')) })
  for (const tarball of tarballs) console.log(tarball)
}

/** Packs the libraries, then `localllm`; returns the tarballs' paths in publishing order. */
export function packCli({ outDir }) {
  mkdirSync(outDir, { recursive: true })
  const host = readJson(join(root, HOST, 'package.json'))
  const tarballs = []
  const workspaces = {}
  for (const folder of LIBRARIES) {
    const pkg = readJson(join(root, folder, 'package.json'))
    if (pkg.version !== host.version || host.dependencies[pkg.name] !== pkg.version) {
      throw new Error(
        `${pkg.name} ${pkg.version} and ${host.name} ${host.version} (which wants ${host.dependencies[pkg.name]}) must move together`
      )
    }
    const tarball = packStaged(folder, publishedManifest(pkg), {}, outDir)
    const shortName = pkg.name.split('/').pop()
    workspaces[pkg.name] = {
      folder,
      resolved: `https://registry.npmjs.org/${pkg.name}/-/${shortName}-${pkg.version}.tgz`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
    }
    tarballs.push(tarball)
  }
  const manifest = { ...publishedManifest(host), name: NAME }
  const shrinkwrap = runtimeLockfile({
    name: NAME,
    version: host.version,
    dependencies: host.dependencies,
    from: HOST,
    workspaces
  })
  tarballs.push(packStaged(HOST, manifest, { 'npm-shrinkwrap.json': shrinkwrap }, outDir))
  return { tarballs }
}

/** Copies a workspace's `files` and README into a staging folder with `manifest`, and packs it. */
function packStaged(folder, manifest, extra, outDir) {
  const stage = mkdtempSync(join(tmpdir(), 'localllm-pack-'))
  try {
    for (const path of ['bin', 'dist/src', 'README.md']) {
      const from = join(root, folder, path)
      if (existsSync(from)) cpSync(from, join(stage, path), { recursive: true })
    }
    if (!existsSync(join(stage, 'dist/src'))) {
      throw new Error(`${folder}/dist/src is missing: run \`npm run build\` first`)
    }
    writeJson(join(stage, 'package.json'), manifest)
    for (const [file, value] of Object.entries(extra)) writeJson(join(stage, file), value)
    const out = execFileSync(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir],
      { cwd: stage, encoding: 'utf8', env: npmEnv(process.env) }
    )
    return join(outDir, JSON.parse(out)[0].filename)
  } finally {
    rmSync(stage, { recursive: true, force: true })
  }
}

/** A workspace's manifest as published: no `private`, scripts or devDependencies. */
function publishedManifest(pkg) {
  const published = { ...pkg }
  for (const key of ['private', 'scripts', 'devDependencies']) delete published[key]
  if (!published.files) throw new Error(`${pkg.name} has no "files": it would publish everything`)
  return published
}

/**
 * The environment for a child npm: the caller's `npm run` settings (workspace, prefix…) must
 * not leak into it; the cache and user config stay.
 */
export function npmEnv(env) {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|userconfig)$/i.test(key)
    )
  )
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

function writeJson(path, value) {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
}
