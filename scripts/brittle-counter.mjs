// Stands in for brittle when count-tests.mjs counts a suite: a module-resolution hook that
// sends `import test from 'brittle'` here, and a `test()` that counts instead of running.
// Skipped, todo and solo tests count too: a run under brittle would list every one of them.
//
//   register('./brittle-counter.mjs', import.meta.url)   // then import the test files

export async function resolve(specifier, context, next) {
  if (specifier === 'brittle') return { url: import.meta.url, shortCircuit: true }
  return next(specifier, context)
}

function test() {
  globalThis.localllmTestCount++
}
const hook = () => {}
const configure = () => {}

test.test = test
test.skip = test
test.todo = test
test.solo = test
test.hook = hook
test.configure = configure

export default test
export { test, test as skip, test as todo, test as solo, hook, configure }
