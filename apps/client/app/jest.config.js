// Screen and state tests: jest-expo with react-native-bare-kit replaced by a scripted fake
// worklet (test/helpers/fake-worklet.ts). The worklet bundle (.mjs, which jest does not
// transform) is mapped to a stub.
/* global module */
module.exports = {
  preset: 'jest-expo/ios',
  roots: ['<rootDir>/test'],
  // react-native-gesture-handler's own mocks of its native module (Swipeable, root view).
  setupFiles: ['react-native-gesture-handler/jestSetup'],
  // Screen tests render the whole app; two cores are shared with other work.
  testTimeout: 15000,
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
  // Files outside this folder (../worklet, packages/protocol) get Babel helpers from here.
  moduleDirectories: ['node_modules', '<rootDir>/node_modules'],
  moduleNameMapper: {
    '\\.bundle\\.mjs$': '<rootDir>/test/helpers/worklet-bundle-stub.js'
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(.pnpm|react-native|@react-native|@react-native-community|expo|@expo|expo-router|react-native-marked|marked|@jsamr|github-slugger|html-entities|svg-parser|react-native-svg|react-native-reanimated-table|standard-navigation|@noble)(/|-|$))'
  ]
}
