// The nftables ruleset of a lab router: a home or carrier NAT between a private `lan` and the
// lab's "internet" on `wan`. Loaded with `nft -f -` inside the router's namespace.
//
//   routerRules('symmetric')   // masquerade random,fully-random: a new port for every flow
//
// Two rules make a flat lab behave like the internet, or hole punching fails where it works
// in reality: unsolicited inbound packets on `wan` are dropped, and so is anything that
// arrives with TTL <= 8, before conntrack sees it (priority raw). hyperdht's first punches
// use a low TTL so they die on the way; in a lab without hops they would reach the other
// router, leave an unreplied conntrack entry there, and make masquerade move the next
// packets to another port.

export type RouterNat = 'cone' | 'symmetric'

export function routerRules(nat: RouterNat): string {
  // cone: Linux keeps the source port when it is free (endpoint-independent mapping); with
  // the inbound rule below, filtering is port-restricted. symmetric: a random port per flow.
  const masquerade = nat === 'cone' ? 'masquerade' : 'masquerade random,fully-random'
  return `table ip natlab {
  chain early {
    type filter hook prerouting priority raw; policy accept;
    iifname "wan" ip ttl <= 8 drop
  }
  chain inbound {
    type filter hook forward priority filter; policy accept;
    iifname "wan" ct state != { established, related } drop
  }
  chain local {
    type filter hook input priority filter; policy accept;
    iifname "wan" ct state != { established, related } drop
  }
  chain outbound {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" ${masquerade}
  }
}
`
}
