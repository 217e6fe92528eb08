// `localllm-standin`: the stand-in as its own program, for developers (`npm run standin`),
// the demo, benchmarks and tests that need it in another process. Started through
// bin/localllm-standin.js; `localllm-standin --help` lists the flags and the control API
// (command.ts).

import { createStandinCommand } from './command.js'

await createStandinCommand().parseAsync()
