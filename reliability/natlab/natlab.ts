// `npm run natlab`: the product through the NAT lab. For each NAT pair, with and without
// `localllm host --relay`: does `localllm chat --prompt` connect, how fast (from the chat
// process's start), by which path, when a relayed connection goes direct, and does a reply
// stream. `--bare` runs the worklet under `bare` as the client instead.
//
//   npm run natlab -- [attempts=3] [filter] [--bare]     e.g. `npm run natlab -- 3 sym`
//
// Re-executes itself in a loopback-only namespace and builds the lab inside it (nat-lab.ts).

import { isMain, runCommand } from '../src/cli-entry.js'
import { markdownTable, summarize, type RowSummary } from './lab-table.js'
import { NatLab, type NatKind } from './nat-lab.js'
import {
  productAttempt,
  productLabel,
  startProductRelay,
  type ProductAttempt,
  type ProductClient,
  type ProductRow
} from './product-attempt.js'

const PAIRS: [NatKind, NatKind][] = [
  ['cone', 'cone'],
  ['cone', 'symmetric'],
  ['symmetric', 'symmetric'],
  ['symmetric', 'cone'],
  ['cone', 'none'],
  ['none', 'symmetric']
]

export function productRows(client: ProductClient): ProductRow[] {
  return PAIRS.flatMap(([home, phone]) => [
    { home, phone, relay: 'none' as const, client },
    { home, phone, relay: 'host' as const, client }
  ])
}

if (isMain(import.meta.url)) {
  await runCommand(import.meta.url, async (args) => {
    const bare = args.includes('--bare')
    const [attemptsText, filter] = args.filter((a) => a !== '--bare')
    const attempts = Number(attemptsText ?? 3)
    const rows = productRows(bare ? 'bare' : 'node').filter(
      (row) => !filter || productLabel(row).includes(filter)
    )
    const lab = await NatLab.start({ lifeMs: rows.length * attempts * 90_000 + 120_000 })
    const summaries: RowSummary[] = []
    const started = Date.now()
    try {
      const relay = await startProductRelay(lab)
      for (const row of rows) {
        const results: ProductAttempt[] = []
        for (let i = 0; i < attempts; i++) {
          const result = await productAttempt(lab, row, {
            relayKey: relay.key,
            tokens: 100,
            tokensPerSecond: 10
          })
          console.log(`${productLabel(row)} #${i + 1}: ${JSON.stringify(result)}`)
          results.push(result)
        }
        const summary = summarize(productLabel(row), results)
        const replies = results.filter((r) => r.replied).length
        summaries.push({
          ...summary,
          notes: `replies ${replies}/${results.length}${summary.notes ? `, ${summary.notes}` : ''}`
        })
      }
    } finally {
      await lab.close()
    }
    console.log(
      `\nproduct, ${attempts} per row, in ${Math.round((Date.now() - started) / 1000)} s; connect s from the ${bare ? "worklet's connect command" : 'chat process start'}\n`
    )
    console.log(markdownTable(summaries))
    return true
  })
}
