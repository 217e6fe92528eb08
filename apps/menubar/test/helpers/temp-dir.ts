// Waits for a condition (polled): going away for the fakes' own events.

/** Resolves once `check` returns true (polled every 5 ms), or fails the wait after `ms`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 3000
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${ms} ms: ${String(check)}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
