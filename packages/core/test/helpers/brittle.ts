// The type of brittle's `t`, which @types/brittle does not export by name.
import type test from 'brittle'

export type TestContext = ReturnType<typeof test>
