// holesail (npm `holesail-server` 2.4.0 / `holesail-client` 2.3.0) on a local testnet, as the
// comparison a Holepunch user would reach for: tunnel Ollama's port and point any client at it.
//
//   const tunnel = await startHolesailTunnel({ bootstrap, port: standin.port, firewalled: false })
//   fetch(`${tunnel.url}/api/chat`, …)        // a local TCP port that leads to the stand-in
//   await tunnel.close()
//
// Both packages construct `new HyperDHT()` with no options, and under Node a dependency of
// theirs requires `bare-dgram`, which only loads under Bare. So, in this process only, a
// resolve hook hands them a HyperDHT subclass that injects the testnet's bootstrap (and the
// `firewalled` setting under test) and maps `bare-dgram` to Node's `dgram`; node_modules is
// untouched. The hook applies to requires made from inside holesail's own packages only.

import { createRequire } from 'node:module'
import Module from 'node:module'
import net from 'node:net'
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import DHT, { type BootstrapNode, type DHTOptions } from 'hyperdht'
import type HolesailServerClass from 'holesail-server'
import type HolesailClientClass from 'holesail-client'

const require = createRequire(import.meta.url)
const HOLESAIL_PARENT =
  /[\\/]node_modules[\\/](holesail-server|holesail-client|@holesail[\\/]hyper-cmd-lib-net)[\\/]/
const SHIM_ID = '\0localllm-bench:testnet-hyperdht'

/** The DHT settings every HyperDHT holesail constructs from now on gets. */
const dhtSettings: { bootstrap: BootstrapNode[]; firewalled: boolean } = {
  bootstrap: [],
  firewalled: true
}

class TestnetDHT extends DHT {
  constructor(options: DHTOptions = {}) {
    if (dhtSettings.bootstrap.length === 0) throw new Error('holesail: testnet bootstrap not set')
    super({ ...options, bootstrap: dhtSettings.bootstrap, firewalled: dhtSettings.firewalled })
  }
}
// holesail calls HyperDHT.keyPair() as a static: a subclass inherits it.

interface ModuleInternals {
  _resolveFilename(
    request: string,
    parent: { filename?: string } | undefined,
    ...rest: unknown[]
  ): string
  _cache: Record<string, unknown>
}

let hooked = false
function installHook(): void {
  if (hooked) return
  hooked = true
  const internals = Module as unknown as ModuleInternals
  const shim = new Module(SHIM_ID)
  Object.assign(shim, { filename: SHIM_ID, loaded: true, exports: TestnetDHT })
  internals._cache[SHIM_ID] = shim
  const resolve = internals._resolveFilename.bind(Module)
  internals._resolveFilename = (request, parent, ...rest) => {
    if (parent?.filename && HOLESAIL_PARENT.test(parent.filename)) {
      if (request === 'hyperdht') return SHIM_ID
      if (request === 'bare-dgram') return 'dgram'
    }
    return resolve(request, parent, ...rest)
  }
}

function load(): { Server: typeof HolesailServerClass; Client: typeof HolesailClientClass } {
  installHook()
  return {
    Server: require('holesail-server') as typeof HolesailServerClass,
    Client: require('holesail-client') as typeof HolesailClientClass
  }
}

export interface HolesailOptions {
  bootstrap: BootstrapNode[]
  /** The port to tunnel (on 127.0.0.1). */
  port: number
  /** hyperdht's default is true; false makes peers connect directly instead of holepunching. */
  firewalled: boolean
}

export interface HolesailEnd {
  key: string
  close(): Promise<void>
}

/** A holesail server in this process, exposing `port`. */
export async function startHolesailServer(options: HolesailOptions): Promise<HolesailEnd> {
  const { Server } = load()
  dhtSettings.bootstrap = options.bootstrap
  dhtSettings.firewalled = options.firewalled
  const server = new Server()
  await server.start({ port: options.port, host: '127.0.0.1' })
  await server.dht.fullyBootstrapped()
  return { key: server.key, close: () => server.destroy() }
}

/**
 * A holesail server in a child process (hyperdht behaves differently across processes than
 * inside one; see the connect scenario).
 */
export async function startHolesailServerProcess(options: HolesailOptions): Promise<HolesailEnd> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./holesail-server-process.js', import.meta.url)),
    [JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }
  )
  const [message] = (await once(child, 'message')) as [{ key: string }]
  return {
    key: message.key,
    async close() {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    }
  }
}

export interface HolesailTunnel {
  /** http://127.0.0.1:<port> of the client's local proxy. */
  url: string
  port: number
  close(): Promise<void>
}

/** A holesail client's local proxy to the server with `key`. */
export async function startHolesailClient(
  key: string,
  options: Omit<HolesailOptions, 'port'>
): Promise<HolesailTunnel> {
  const { Client } = load()
  dhtSettings.bootstrap = options.bootstrap
  dhtSettings.firewalled = options.firewalled
  const client = new Client({ key })
  const port = await freePort()
  await new Promise<void>((resolve, reject) => {
    client.connect({ port, host: '127.0.0.1' }, resolve).catch(reject)
  })
  return { url: `http://127.0.0.1:${port}`, port, close: () => client.destroy() }
}

/** Server and client in this process: a tunnel from a new local port to `port`. */
export async function startHolesailTunnel(options: HolesailOptions): Promise<HolesailTunnel> {
  const server = await startHolesailServer(options)
  const client = await startHolesailClient(server.key, options)
  return {
    ...client,
    async close() {
      await client.close()
      await server.close()
    }
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as net.AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}
