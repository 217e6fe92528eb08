// The NAT lab as other workspaces use it (`@localllm/reliability/natlab`): the benchmark's
// lab table (bench/src/natlab.ts) builds a lab, starts `localllm relay` and runs attempts.
//
//   import { NatLab, startProductRelay, timedAttempt, moveAttempt } from '@localllm/reliability/natlab'

export { NatLab, type NatKind } from './nat-lab.js'
export { startProductRelay, type ProductClient } from './product-attempt.js'
export {
  timedAttempt,
  timedLabel,
  type Path,
  type TimedAttempt,
  type TimedOptions,
  type TimedReply,
  type TimedRow
} from './timed-attempt.js'
export {
  moveAttempt,
  moveLabel,
  type MoveAttempt,
  type MoveOptions,
  type MoveRow
} from './move-attempt.js'
