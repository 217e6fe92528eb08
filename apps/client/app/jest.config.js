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
    '\\.bundle\\.mjs$': '<rootDir>/test/helpers/worklet-bundle-stub.js',
    // react-native-gesture-handler from its src/, as Metro takes it (the react-native field):
    // in its prebuilt CommonJS the Worklets plugin does not see ReanimatedSwipeable's gesture
    // callbacks, and the library warns that only some of them are worklets.
    '^react-native-gesture-handler$': '<rootDir>/node_modules/react-native-gesture-handler/src',
    '^react-native-gesture-handler/ReanimatedSwipeable$':
      '<rootDir>/node_modules/react-native-gesture-handler/src/components/ReanimatedSwipeable'
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(.pnpm|react-native|@react-native|@react-native-community|expo|@expo|expo-router|react-native-marked|marked|@jsamr|github-slugger|html-entities|svg-parser|react-native-svg|react-native-reanimated-table|standard-navigation|@noble)(/|-|$))'
  ]
}
