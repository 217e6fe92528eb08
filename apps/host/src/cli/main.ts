// `localllm`: the command-line entry. Subcommands live one per file beside this one.
// `--version` is the package's own: the workspace's package.json in the repository, the
// published one once installed (both sit three folders above dist/src/cli/).

import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { createHostCommand } from './host-command.js'
import { createChatCommand } from './chat-command.js'
import { createDevicesCommand } from './devices-command.js'
import { createTestnetCommand } from './testnet-command.js'
import { createRelayCommand } from './relay-command.js'

// A reader that goes away (`localllm host --json | head -1`) is not a reason to crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
  })
}

const { version } = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')
) as { version: string }

const program = new Command('localllm')
  .description('LocalLLM: share your local Ollama model with the LocalLLM app, peer to peer')
  .version(version)
  .addCommand(createHostCommand())
  .addCommand(createChatCommand())
  .addCommand(createDevicesCommand())
  .addCommand(createRelayCommand())
  .addCommand(createTestnetCommand())

await program.parseAsync(process.argv)
