// Jest's stand-in for dist/worklet/app.ios.bundle.mjs (jest does not transform .mjs).
/* global module */
module.exports = { __esModule: true, default: 'worklet bundle stub' }
