// @localllm/testing: the test code several suites share (host, menu bar, worklet, web,
// reliability, bench, the demo). Private; only tests, harnesses and scripts import it, never
// a product package's src/, so none of this ships.
//
//   import { startLocalSystem, WirePeer, spawnCli } from '@localllm/testing'

export { startLocalSystem, type LocalSystem, type LocalSystemOptions } from './local-system.js'
export {
  CliProcess,
  LOCALLLM_BIN,
  STANDIN_BIN,
  runCli,
  spawnCli,
  type CliOptions,
  type Exit,
  type JsonLine,
  type Teardown
} from './cli-process.js'
export { startHostCli, type HostCli, type HostCliOptions } from './host-cli.js'
export {
  WirePeer,
  type ChatReply,
  type Hello,
  type JoinOptions,
  type WirePeerOptions
} from './wire-peer.js'
export { Impostor, type ImpostorOptions } from './impostor.js'
export { CHROMIUM, CHROMIUM_FLAGS, assertChromium } from './chromium.js'
export { Wakeup } from './wakeup.js'
export { startLocalRegistry, type LocalRegistry } from './local-registry.js'
export { untilHostState } from './host-state.js'
export { tempDir } from './temp-dir.js'
export { screenshotDir } from './screenshots.js'
