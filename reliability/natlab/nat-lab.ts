// The NAT lab: a simulated internet of network namespaces, kernel NATs and real HyperDHT
// nodes, all inside the sealed namespace the lab is started in (see sealed-namespace.ts).
//
//   const lab = await NatLab.start({ lifeMs: 10 * 60_000 })   // bridge + 5 DHT nodes
//   const relayNs = await lab.internetHost(RELAY_HOST)          // a public address
//   const home = await lab.site('home', 'cone')                 // fresh router + host namespace
//   const phone = await lab.site('carrier', 'symmetric')
//   home.peer.start([...], { lifeMs })  …  await home.close(); await lab.close()
//   const { at } = await lab.move(phone, 'cone')              // the phone changes networks
//
// Addresses: the "internet" is the bridge on 11.0.0.0/16 (hyperdht drops bogons, and the
// documentation ranges are bogons to it); DHT nodes 11.0.0.1-5, public hosts such as the
// relay 11.0.0.10+. A home site is 192.168.1.0/24 behind a router at 11.0.1.N (a public
// host at 11.0.3.N); a carrier site is 100.64.0.0/10 behind 11.0.2.N (public: 11.0.4.N).
// Every site is new (new N, new router, new conntrack table), so attempts never share state;
// a move gives the peer a new router too, and a new LAN address (.3, .4, … instead of .2).

import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BootstrapNode } from 'hyperdht'
import { wallClock, type LabProcess } from './lab-process.js'
import { NetNamespace } from './net-namespace.js'
import { routerRules } from './nat-router.js'
import { assertSealedNamespace } from './sealed-namespace.js'

export type NatKind = 'cone' | 'symmetric' | 'none'
export type SiteSide = 'home' | 'carrier'

export const DHT_HOSTS = ['11.0.0.1', '11.0.0.2', '11.0.0.3', '11.0.0.4', '11.0.0.5']
export const DHT_PORT = 49737
export const RELAY_HOST = '11.0.0.10'

const BRIDGE = 'inet0'
const DHT_NODES = fileURLToPath(new URL('./dht-nodes.js', import.meta.url))

const SIDES = {
  home: { prefix: 'h', routerNet: 1, publicNet: 3, lan: '192.168.1', lanBits: 24 },
  carrier: { prefix: 'c', routerNet: 2, publicNet: 4, lan: '100.64.0', lanBits: 10 }
} as const

export interface Site {
  readonly side: SiteSide
  /** The NAT the peer is behind now (NatLab.move changes it). */
  readonly nat: NatKind
  /** Where the peer (host or phone) runs; the same namespace after a move. */
  readonly peer: NetNamespace
  /** The address the rest of the internet sees the peer at now. */
  readonly publicHost: string
  /** The peer's own address: on its LAN behind a NAT, else its public one. */
  readonly localHost: string
  close(): Promise<void>
}

/** One network a peer is plugged into: its router (none for a public address) and link. */
interface Network {
  nat: NatKind
  publicHost: string
  localHost: string
  router: NetNamespace | undefined
  /** The link's name in the peer's namespace once up. */
  link: string
  /** `ip` commands, run in the peer's namespace, that bring the link up as its only route. */
  up: string[]
}

class LabSite implements Site {
  readonly side: SiteSide
  readonly peer: NetNamespace
  moves = 0
  #network: Network
  readonly #close: (site: LabSite) => Promise<void>

  constructor(
    side: SiteSide,
    peer: NetNamespace,
    network: Network,
    close: (site: LabSite) => Promise<void>
  ) {
    this.side = side
    this.peer = peer
    this.#network = network
    this.#close = close
  }

  get nat(): NatKind {
    return this.#network.nat
  }

  get publicHost(): string {
    return this.#network.publicHost
  }

  get localHost(): string {
    return this.#network.localHost
  }

  get network(): Network {
    return this.#network
  }

  /** Plugs the peer into `next`; returns the network it left. */
  adopt(next: Network): Network {
    const old = this.#network
    this.#network = next
    this.moves++
    return old
  }

  close(): Promise<void> {
    return this.#close(this)
  }
}

export class NatLab {
  readonly bootstrap: BootstrapNode[]
  readonly lifeMs: number
  readonly #dhtNs: NetNamespace
  readonly #dht: LabProcess
  readonly #hosts = new Set<NetNamespace>()
  readonly #sites = new Set<LabSite>()
  #next = 0
  #closed = false

  private constructor(lifeMs: number, dhtNs: NetNamespace, dht: LabProcess) {
    this.lifeMs = lifeMs
    this.#dhtNs = dhtNs
    this.#dht = dht
    this.bootstrap = DHT_HOSTS.map((host) => ({ host, port: DHT_PORT }))
  }

  static async start(options: { lifeMs: number }): Promise<NatLab> {
    assertSealedNamespace()
    outerIp([`link add ${BRIDGE} type bridge`, `link set ${BRIDGE} up`])
    const ns = await NetNamespace.create(options.lifeMs)
    attachToInternet(ns, 'dht0', DHT_HOSTS)
    const dht = ns.start([process.execPath, DHT_NODES, String(DHT_PORT), ...DHT_HOSTS], {
      lifeMs: options.lifeMs
    })
    try {
      await dht.waitFor((e) => e.event === 'ready', 20_000)
    } catch (err) {
      await ns.close()
      throw err
    }
    return new NatLab(options.lifeMs, ns, dht)
  }

  /** A namespace with a public address on the internet (the relay's machine). */
  async internetHost(host: string): Promise<NetNamespace> {
    const ns = await NetNamespace.create(this.lifeMs)
    this.#hosts.add(ns)
    attachToInternet(ns, `pub${++this.#next}`, [host])
    return ns
  }

  /** A fresh site: a peer namespace behind a new router of this kind, or on the internet. */
  async site(side: SiteSide, nat: NatKind): Promise<Site> {
    const peer = await NetNamespace.create(this.lifeMs)
    let network: Network
    try {
      network = await this.#network(side, nat, peer, 2)
      peer.ip(network.up)
    } catch (err) {
      await peer.close()
      throw err
    }
    const site = new LabSite(side, peer, network, async (s) => {
      this.#sites.delete(s)
      await s.peer.close()
      await s.network.router?.close()
    })
    this.#sites.add(site)
    return site
  }

  /**
   * Moves a site's peer to another network of its side, as a phone leaves Wi-Fi for a
   * carrier: a new router of this kind (a new public address, an empty conntrack table) and a
   * new LAN address. Its old link goes in the same `ip -batch` as the new one comes up, and
   * its old router is then shut down; the processes in the peer's namespace run on. Resolves
   * with the moments (epoch ms, `wallClock()`) just before and just after the switch.
   */
  async move(site: Site, nat: NatKind): Promise<{ at: number; doneAt: number }> {
    if (!(site instanceof LabSite) || !this.#sites.has(site)) {
      throw new Error('move: not a site of this lab')
    }
    const next = await this.#network(site.side, nat, site.peer, 3 + site.moves)
    const at = wallClock()
    try {
      site.peer.ip([`link del ${site.network.link}`, ...next.up])
    } catch (err) {
      await next.router?.close()
      throw err
    }
    const doneAt = wallClock()
    const old = site.adopt(next)
    await old.router?.close()
    return { at, doneAt }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const site of [...this.#sites]) await site.close()
    for (const ns of this.#hosts) await ns.close()
    await this.#dht.stop()
    await this.#dhtNs.close()
    // The kernel tears a closed namespace down later, on its own, taking the veth ends here
    // with it; the next lab would find them and refuse to start. Deleting them now is at once.
    for (const link of [...outerLinks, BRIDGE]) {
      try {
        outerIp([`link del ${link}`])
      } catch {
        // Gone with its namespace already.
      }
    }
    outerLinks.clear()
  }

  /**
   * A new network for `peer` on `side`: a router of this kind with a veth into the peer
   * (LAN address `lan.host`), or a veth from the bridge (a public address). The peer's end
   * waits in its namespace, down and unnamed, until `up` runs there.
   */
  async #network(side: SiteSide, nat: NatKind, peer: NetNamespace, host: number): Promise<Network> {
    const n = (this.#next++ % 250) + 1
    const plan = SIDES[side]
    const name = `${plan.prefix}${n}`
    if (nat === 'none') {
      const publicHost = `11.0.${plan.publicNet}.${n}`
      return {
        nat,
        publicHost,
        localHost: publicHost,
        router: undefined,
        link: 'wan',
        up: internetLink(plugIntoInternet(peer, `${name}w`), [publicHost])
      }
    }
    const publicHost = `11.0.${plan.routerNet}.${n}`
    const localHost = `${plan.lan}.${host}`
    const gateway = `${plan.lan}.1`
    const router = await NetNamespace.create(this.lifeMs)
    try {
      attachToInternet(router, `${name}w`, [publicHost])
      outerIp([
        `link add ${name}l type veth peer name ${name}p`,
        `link set ${name}l netns ${router.pid}`,
        `link set ${name}p netns ${peer.pid}`
      ])
      router.ip([
        `link set ${name}l name lan`,
        `addr add ${gateway}/${plan.lanBits} dev lan`,
        'link set lan up'
      ])
      router.sysctl('net.ipv4.ip_forward', '1')
      router.nft(routerRules(nat))
    } catch (err) {
      await router.close()
      throw err
    }
    return {
      nat,
      publicHost,
      localHost,
      router,
      link: 'eth0',
      up: [
        `link set ${name}p name eth0`,
        `addr add ${localHost}/${plan.lanBits} dev eth0`,
        'link set eth0 up',
        `route add default via ${gateway}`
      ]
    }
  }
}

/** `ip` in the lab's own (sealed, outer) namespace: only the bridge and veth ends live here. */
function outerIp(commands: string[]): void {
  execFileSync('ip', ['-batch', '-'], { input: commands.join('\n') + '\n', timeout: 10_000 })
}

/**
 * A veth from the bridge into `ns`, named `wan` there, with these /16 addresses. Anything
 * not on the internet goes out `wan` and is lost, as on the real internet (no route error).
 */
function attachToInternet(ns: NetNamespace, name: string, hosts: string[]): void {
  ns.ip(internetLink(plugIntoInternet(ns, name), hosts))
}

/** The veth ends the lab made in its own namespace, deleted when it closes. */
const outerLinks = new Set<string>()

/** A veth from the bridge into `ns`; returns the name of its end there (down, no address). */
function plugIntoInternet(ns: NetNamespace, name: string): string {
  outerLinks.add(name)
  outerIp([
    `link add ${name} type veth peer name ${name}x`,
    `link set ${name} master ${BRIDGE}`,
    `link set ${name} up`,
    `link set ${name}x netns ${ns.pid}`
  ])
  return `${name}x`
}

/** The commands, inside the namespace, that make `inner` its `wan` with these addresses. */
function internetLink(inner: string, hosts: string[]): string[] {
  return [
    `link set ${inner} name wan`,
    ...hosts.map((host) => `addr add ${host}/16 dev wan`),
    'link set wan up',
    'route add default dev wan'
  ]
}
