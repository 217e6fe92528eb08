#!/usr/bin/env bash
# The iPhone app's checks, outside the root npm workspaces (Expo's tree does not `npm ci`
# here): install, pack the worklet, type-check, screen tests, Metro iOS and web exports.
# Needs the repo root installed (`npm ci`); builds the worklet's TypeScript itself.
#   bash apps/client/app/ci.sh
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../../.. && pwd)"
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step 'build the worklet and its workspace dependencies (tsc -b)'
(cd "$root" && npx tsc -b apps/client/worklet)

step 'npm install (apps/client/app)'
npm install --no-audit --no-fund

step 'worklet bundles: bare-pack --preset ios and --preset android'
node scripts/build-worklet.mjs
node scripts/check-linked-addons.mjs

step 'tsc --noEmit'
npx tsc --noEmit

step 'jest'
npx jest --ci

step 'expo export --platform ios'
rm -rf dist/ios
EXPO_OFFLINE=1 EXPO_NO_TELEMETRY=1 CI=1 npx expo export --platform ios --output-dir dist/ios
hbc="$(find dist/ios/_expo/static/js/ios -name '*.hbc' | head -n 1)"
echo "iOS Metro bundle: $(stat -c %s "$hbc") bytes ($hbc)"
echo "worklet bundle (ios): $(stat -c %s dist/worklet/app.ios.bundle.mjs) bytes"
echo "worklet bundle (android): $(stat -c %s dist/worklet/app.android.bundle.mjs) bytes"
# Each platform's Metro bundle inlines its own worklet bundle and not the other's (Hermes
# may store the bundle text as UTF-16, so both encodings are searched).
only_worklet() { # <hbc> <specifier it must hold> <specifier it must not>
  node -e '
    const [file, want, not] = process.argv.slice(1)
    const hbc = require("node:fs").readFileSync(file)
    const has = (s) => hbc.includes(Buffer.from(s)) || hbc.includes(Buffer.from(s, "utf16le"))
    if (!has(want) || has(not)) { console.error(`${file}: expected ${want}, not ${not}`); process.exit(1) }
  ' "$@"
}
only_worklet "$hbc" 'linked:sodium-native.' 'linked:libsodium-native.'

step 'expo export --platform android'
rm -rf dist/android
EXPO_OFFLINE=1 EXPO_NO_TELEMETRY=1 CI=1 npx expo export --platform android --output-dir dist/android
ahbc="$(find dist/android/_expo/static/js/android -name '*.hbc' | head -n 1)"
echo "Android Metro bundle: $(stat -c %s "$ahbc") bytes ($ahbc)"
only_worklet "$ahbc" 'linked:libsodium-native.' 'linked:sodium-native.'

step 'expo prebuild --no-install (app.json -> native projects: icon, splash, plugins)'
# In a temporary copy, so nothing is written into this folder; the template is packed
# from the registry because its sdk-57 dist-tag is missing there.
pre="$(mktemp -d)"
cp -r app.json package.json babel.config.js metro.config.js tsconfig.json assets src "$pre/"
ln -s "$PWD/node_modules" "$pre/node_modules"
(cd "$pre" && npm pack --silent expo-template-bare-minimum@57.0.28 >/dev/null &&
  EXPO_OFFLINE=1 EXPO_NO_TELEMETRY=1 CI=1 npx expo prebuild --no-install \
    --template expo-template-bare-minimum-57.0.28.tgz)
test -s "$pre/ios/LocalLLM/Images.xcassets/AppIcon.appiconset/App-Icon-1024x1024@1x.png"
test -s "$pre/ios/LocalLLM/Images.xcassets/SplashScreenLogo.imageset/dark_image@3x.png"
grep -q 'NSCameraUsageDescription' "$pre/ios/LocalLLM/Info.plist"
grep -q '<string>localllm</string>' "$pre/ios/LocalLLM/Info.plist"
test -s "$pre/android/app/src/main/res/mipmap-xxxhdpi/ic_launcher_foreground.webp"
rm -rf "$pre"

step 'expo export --platform web (the web preview; npm test drives it in Chromium)'
rm -rf dist/web
EXPO_OFFLINE=1 EXPO_NO_TELEMETRY=1 CI=1 npx expo export --platform web --output-dir dist/web
echo "web bundle: $(cat dist/web/_expo/static/js/web/*.js | wc -c) bytes"

# Expo CLI leaves .expo/ behind; the root's prettier --check would read it.
rm -rf .expo
step 'done'
