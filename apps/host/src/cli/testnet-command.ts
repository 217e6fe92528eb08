// `localllm testnet`: a local HyperDHT testnet on 127.0.0.1 for demos, tests and benchmarks.
// Prints the bootstrap address to pass to `--bootstrap`, then runs until Ctrl-C.

import { Command, Option } from 'commander'
import createTestnet from 'hyperdht/testnet.js'
import { TESTNET_SIZE, formatBootstrap } from '@localllm/core'
import { portOption } from './options.js'

export function createTestnetCommand(): Command {
  return new Command('testnet')
    .description('Run a local DHT testnet on 127.0.0.1 and print its bootstrap address')
    .addOption(
      new Option('--port <port>', 'port of the first (bootstrap) node; 0 picks a free one')
        .argParser(portOption)
        .default(0)
    )
    .addOption(
      new Option('--size <n>', 'number of DHT nodes').argParser(Number).default(TESTNET_SIZE)
    )
    .option('--json', 'print {"bootstrap": "..."} as one JSON line')
    .action(async (flags: { port: number; size: number; json?: boolean }) => {
      const testnet = await createTestnet(flags.size, { host: '127.0.0.1', port: flags.port })
      const bootstrap = formatBootstrap(testnet.bootstrap)
      if (flags.json)
        process.stdout.write(
          JSON.stringify({ event: 'ready', bootstrap, nodes: flags.size }) + '\n'
        )
      else
        process.stdout.write(
          `Local DHT testnet (${flags.size} nodes) on 127.0.0.1\nbootstrap ${bootstrap}\n\nPass --bootstrap ${bootstrap} to localllm host and localllm chat. Ctrl-C stops it.\n`
        )
      const stop = () => void testnet.destroy().finally(() => process.exit(0))
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
