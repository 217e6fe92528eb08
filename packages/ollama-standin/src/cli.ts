#!/usr/bin/env node
// `localllm-standin`: the stand-in as its own program, for the demo, benchmarks and tests
// that need it in another process. `localllm-standin --help` lists the flags and the
// control API; see command.ts.

import { createStandinCommand } from './command.js'

await createStandinCommand().name('localllm-standin').parseAsync()
