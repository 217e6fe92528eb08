// brittle's test context, the `t` a test gets, by name: `function startWorld(t: TestContext)`.
// @types/brittle 3.5.0 declares it (`TestInstance`) but exports only `test`, and a module
// augmentation cannot add a name to an `export =` module, so it is a global type here, in
// the projects that compile tests. (The last call signature of `test` returns a context.)

import type test from 'brittle'

declare global {
  type TestContext = ReturnType<typeof test>
}
