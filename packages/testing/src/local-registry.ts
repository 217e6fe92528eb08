// An npm registry on 127.0.0.1 that knows only the tarballs it is given, so a test can run
// `npm install localllm` the way a user does, inside the loopback-only namespace. Anything
// else it is asked for gets 404 (npm then uses its cache, or fails: nothing reaches a network).
//
//   const registry = await startLocalRegistry(['dist/localllm-0.1.0.tgz', ...])
//   npm install -g localllm --registry registry.url; await registry.close()
//
// A package whose tarball holds npm-shrinkwrap.json is served with `_hasShrinkwrap`, as the
// public registry does: without it npm ignores the shrinkwrap of a package it installs.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/`, for npm's `--registry`. */
  readonly url: string
  /** Every path asked for, in order. */
  readonly requests: string[]
  close(): Promise<void>
}

interface Served {
  manifest: Record<string, unknown> & { name: string; version: string }
  tarball: Buffer
  hasShrinkwrap: boolean
}

export async function startLocalRegistry(tarballs: string[]): Promise<LocalRegistry> {
  const packages = new Map<string, Served>()
  for (const file of tarballs) {
    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n')
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' })
    ) as Served['manifest']
    packages.set(manifest.name, {
      manifest,
      tarball: readFileSync(file),
      hasShrinkwrap: listing.includes('package/npm-shrinkwrap.json')
    })
  }
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname)
    requests.push(path)
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    for (const [name, pkg] of packages) {
      const file = `/${name}/-/${name.split('/').pop()}-${pkg.manifest.version}.tgz`
      if (path === `/${name}`) {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(packument(pkg, `${base}${file}`)))
        return
      }
      if (path === file) {
        res.setHeader('content-type', 'application/octet-stream')
        res.end(pkg.tarball)
        return
      }
    }
    res.statusCode = 404
    res.setHeader('content-type', 'application/json')
    res.end('{"error":"not found"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function packument({ manifest, tarball, hasShrinkwrap }: Served, url: string) {
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`
  const shasum = createHash('sha1').update(tarball).digest('hex')
  return {
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _hasShrinkwrap: hasShrinkwrap,
        dist: { tarball: url, integrity, shasum }
      }
    }
  }
}
