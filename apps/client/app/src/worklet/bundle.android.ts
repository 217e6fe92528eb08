// The Android worklet bundle produced by `npm run worklet` (bare-pack --preset android:
// addons as `linked:lib<name>.so`), inlined by Metro as one string. Metro picks this file
// over bundle.ts for `--platform android`; jest maps the import to a stub (jest.config.js).

import source from '../../dist/worklet/app.android.bundle.mjs'

export const workletSource: string = source
