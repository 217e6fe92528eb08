// Jest's stand-in for dist/worklet/app.{ios,android}.bundle.mjs (jest does not transform
// .mjs); jest.config.js maps every `*.bundle.mjs` import here.
/* global module */
module.exports = { __esModule: true, default: 'worklet bundle stub' }
