// Globals that Node, Bare and Hermes all provide, for code that runs on all of them.
// Packages that run only on Node use @types/node instead of this file.

type TimerHandle = { readonly __timer: unique symbol }

declare function setTimeout(callback: () => void, ms?: number): TimerHandle
declare function clearTimeout(handle: TimerHandle | undefined): void
declare function setInterval(callback: () => void, ms?: number): TimerHandle
declare function clearInterval(handle: TimerHandle | undefined): void
declare function queueMicrotask(callback: () => void): void
declare function setImmediate(callback: () => void): unknown

declare const console: {
  log(...args: unknown[]): void
  error(...args: unknown[]): void
}
