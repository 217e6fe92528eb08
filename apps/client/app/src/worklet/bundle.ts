// The worklet bundle produced by `npm run worklet` (bare-pack --preset ios), inlined by
// Metro as one string. Jest maps the import to a stub (jest.config.js).

import source from '../../dist/worklet/app.ios.bundle.mjs'

export const workletSource: string = source
