#!/usr/bin/env bash
# The iPhone app's checks, outside the root npm workspaces (Expo's tree does not `npm ci`
# here): install, pack the worklet for iOS, type-check, screen tests, Metro iOS export.
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

step 'worklet bundle: bare-pack --preset ios'
node scripts/build-worklet.mjs

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

# Expo CLI leaves .expo/ behind; the root's prettier --check would read it.
rm -rf .expo
step 'done'
