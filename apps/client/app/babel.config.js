// Babel for Metro and jest: Expo's preset (expo-router included).
/* global module */
module.exports = function (api) {
  api.cache(true)
  return { presets: ['babel-preset-expo'] }
}
