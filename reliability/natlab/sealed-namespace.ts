// The NAT lab's safety check. The lab creates bridges, veth pairs, addresses, routes and
// nftables rules, so it runs only inside a sealed network namespace (`unshare -n`, whose
// only interface is `lo`), never in the machine's own.
//
//   assertSealedNamespace()   // throws unless `lo` is the only link in this namespace
//
// `ip -o link` asks the kernel (netlink) about *this* namespace; /sys/class/net would show
// the namespace sysfs was mounted in, which after `unshare -n` is still the machine's.

import { execFileSync } from 'node:child_process'
import { readlinkSync } from 'node:fs'

export function assertSealedNamespace(): void {
  const names = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '?')
  if (names.length !== 1 || names[0] !== 'lo') {
    throw new Error(
      `the NAT lab runs only in a sealed namespace (unshare -n) whose only link is lo; here: ${names.join(', ')}`
    )
  }
  // Where PID 1's namespace is readable (root on a normal machine), ours must differ from it.
  const own = namespaceOf('self')
  const init = namespaceOf('1')
  if (own && init && own === init) {
    throw new Error("the NAT lab refuses to run in the machine's own network namespace")
  }
}

function namespaceOf(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return undefined
  }
}
