// `localllm`: the command-line entry. Subcommands live one per file beside this one.

import { Command } from 'commander'
import { createHostCommand } from './host-command.js'
import { createChatCommand } from './chat-command.js'
import { createTestnetCommand } from './testnet-command.js'
import { createStandinCommand } from '@localllm/ollama-standin'

const program = new Command('localllm')
  .description('LocalLLM: share your local Ollama model with the LocalLLM app, peer to peer')
  .version('0.1.0')
  .addCommand(createHostCommand())
  .addCommand(createChatCommand())
  .addCommand(createTestnetCommand())
  .addCommand(createStandinCommand())

await program.parseAsync(process.argv)
