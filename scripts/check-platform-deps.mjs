// Every OS can install this repository: npm refuses (EBADPLATFORM) a dependency whose
// package declares another `os`/`cpu` unless it is optional, so one plain platform package
// (the Linux `bare` runtime, say) breaks `npm ci` on every Mac.
//
//   node scripts/check-platform-deps.mjs      # part of `npm run lint`
//
// Two checks: every package in package-lock.json that declares `os` or `cpu` is optional;
// and npm really behaves as that rule assumes, shown on a throwaway project whose one
// dependency declares a platform other than this one: as a plain dependency `npm install`
// fails with EBADPLATFORM, as an optional one `npm ci` from its lockfile succeeds. Offline:
// the dependency is a local tarball.

import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const problems = []

for (const lockfile of ['package-lock.json', 'apps/client/app/package-lock.json']) {
  const packages = JSON.parse(readFileSync(join(root, lockfile), 'utf8')).packages ?? {}
  for (const [path, entry] of Object.entries(packages)) {
    if ((entry.os || entry.cpu) && !entry.optional) {
      problems.push(
        `${lockfile}: ${path} declares ${JSON.stringify({ os: entry.os, cpu: entry.cpu })} but is not optional; make it an optionalDependency`
      )
    }
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const dir = mkdtempSync(join(tmpdir(), 'localllm-platform-'))
try {
  const other = { os: [process.platform === 'darwin' ? 'linux' : 'darwin'], cpu: ['arm64'] }
  const pkgDir = join(dir, 'other-platform-runtime')
  mkdirSync(pkgDir)
  writeFileSync(
    join(pkgDir, 'package.json'),
    JSON.stringify({ name: 'other-platform-runtime', version: '1.0.0', ...other })
  )
  execFileSync(npm, ['pack', '--silent', pkgDir], { cwd: dir, stdio: 'pipe' })
  const tarball = 'file:other-platform-runtime-1.0.0.tgz'
  const project = (field) =>
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'probe',
        private: true,
        [field]: { 'other-platform-runtime': tarball }
      })
    )
  const quiet = ['--no-audit', '--no-fund', '--ignore-scripts', '--offline']

  project('devDependencies')
  const plain = spawnSync(npm, ['install', ...quiet], { cwd: dir, encoding: 'utf8' })
  if (plain.status === 0 || !/EBADPLATFORM/.test(plain.stderr)) {
    problems.push(
      `npm installed a plain dependency for ${JSON.stringify(other)} (expected EBADPLATFORM): the check no longer reproduces the Mac failure`
    )
  }

  project('optionalDependencies')
  const optional = spawnSync(npm, ['install', ...quiet], { cwd: dir, encoding: 'utf8' })
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true })
  const ci = spawnSync(npm, ['ci', ...quiet], { cwd: dir, encoding: 'utf8' })
  if (optional.status !== 0 || ci.status !== 0) {
    problems.push(
      `npm ci refused an optional dependency for another platform:\n${optional.stderr}${ci.stderr}`
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(problems.map((p) => `check-platform-deps: ${p}`).join('\n'))
  process.exit(1)
}
console.log(
  'check-platform-deps: every platform-specific package is optional; npm skips an optional one for another platform and refuses a plain one'
)
