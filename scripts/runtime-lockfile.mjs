// The lockfile a published package carries (npm-shrinkwrap.json): exactly the versions the
// workspace was tested with, cut from the root package-lock.json down to one workspace's
// runtime dependencies. npm honours a published package's shrinkwrap on install, so
// `npm i -g localllm` gets the tested tree, and its tarballs can come from npm's cache.
//
//   runtimeLockfile({ name, version, dependencies, from: 'apps/host',
//     workspaces: { '@localllm/core': { folder: 'packages/core', resolved, integrity } } })
//
// Node's resolution is replayed over the root lockfile; a package nested under a workspace
// folder (packages/protocol/node_modules/x) moves under that workspace's place in the
// installed tree (node_modules/@localllm/protocol/node_modules/x).

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * @param {{ name: string, version: string, dependencies: Record<string, string>, from: string,
 *   workspaces: Record<string, { folder: string, resolved: string, integrity: string }> }} pkg
 *   `workspaces`: the workspaces it depends on, published alongside it
 */
export function runtimeLockfile(pkg) {
  const source = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages
  const workspaces = new Map(Object.entries(pkg.workspaces))
  // Where each workspace folder sits in the installed tree ('' is the package itself).
  const placeOf = new Map([[pkg.from, '']])
  for (const [name, { folder }] of workspaces) placeOf.set(folder, `node_modules/${name}`)
  const packages = {
    '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies }
  }

  const visit = (fromPath, name) => {
    const workspace = workspaces.get(name)
    if (workspace) {
      const target = `node_modules/${name}`
      if (packages[target]) return
      const { version, license, dependencies } = source[workspace.folder]
      const { resolved, integrity } = workspace
      packages[target] = { version, resolved, integrity, license, dependencies }
      for (const dep of Object.keys(dependencies ?? {})) visit(workspace.folder, dep)
      return
    }
    const found = resolve(source, fromPath, name)
    if (!found)
      throw new Error(`${name}, needed by ${fromPath || 'the root'}, is not in the lockfile`)
    const target = installedPath(found, placeOf)
    if (packages[target]) return
    const entry = source[found]
    const { version, integrity, license, dependencies, optionalDependencies } = entry
    const { bin, engines, hasInstallScript, os, cpu } = entry
    const resolved = entry.resolved ?? registryTarball(target, version)
    packages[target] = {
      ...{ version, resolved, integrity, license, dependencies, optionalDependencies },
      ...{ bin, engines, hasInstallScript, os, cpu }
    }
    for (const dep of Object.keys({ ...dependencies, ...optionalDependencies })) {
      // An optional dependency missing from the lockfile (another platform's) stays missing.
      if (optionalDependencies?.[dep] && !resolve(source, found, dep)) continue
      visit(found, dep)
    }
  }

  for (const dep of Object.keys(pkg.dependencies)) visit(pkg.from, dep)

  return {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: Object.fromEntries(
      Object.entries(packages)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, entry]) => [path, withoutUndefined(entry)])
    )
  }
}

/** A root lockfile key as a path in the installed package's tree. */
function installedPath(found, placeOf) {
  for (const [folder, place] of placeOf) {
    if (found.startsWith(`${folder}/node_modules/`)) {
      const rest = found.slice(folder.length + 1)
      return place ? `${place}/${rest}` : rest
    }
  }
  if (found.startsWith('node_modules/')) return found
  throw new Error(`${found} is under a workspace this package does not carry`)
}

/**
 * The registry's tarball address for the package at `path` (the repository's .npmrc leaves
 * these out of package-lock.json; without them npm would need every package's metadata).
 */
function registryTarball(path, version) {
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`
}

/** Where Node finds `name` from the package at `fromPath` (a lockfile key), or undefined. */
function resolve(packages, fromPath, name) {
  let dir = fromPath
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`
    if (packages[candidate] && !packages[candidate].link) return candidate
    if (!dir) return undefined
    dir = parentDir(dir)
  }
}

/** `node_modules/a/node_modules/b` -> `node_modules/a`; `apps/host` -> `apps`; `apps` -> ''. */
function parentDir(path) {
  const parts = path.split('/')
  parts.pop()
  if (parts.at(-1)?.startsWith('@') && parts.at(-2) === 'node_modules') parts.pop()
  if (parts.at(-1) === 'node_modules') parts.pop()
  return parts.join('/')
}

function withoutUndefined(entry) {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined))
}
