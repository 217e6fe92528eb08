// The iOS worklet bundle produced by `npm run worklet` (bare-pack --preset ios), inlined by
// Metro as one string. Android builds pick bundle.android.ts instead (Metro's platform
// extensions), so each app carries only its own bundle. Jest maps the import to a stub
// (jest.config.js).

import source from '../../dist/worklet/app.ios.bundle.mjs'

export const workletSource: string = source
