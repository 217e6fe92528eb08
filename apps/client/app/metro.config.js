// Metro: Expo's defaults, plus the repo folders the app imports from outside its own
// node_modules. `@localllm/worklet` and `@localllm/protocol` are npm workspaces of the
// repo root: they resolve through the root node_modules (walking up from this folder) to
// their compiled `dist/`, so the root must be installed and built (`tsc -b`) first. `.wasm`
// files are assets, for expo-sqlite in the web preview.
/* global module, require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- Metro loads CommonJS config */
const path = require('node:path')
const { getDefaultConfig } = require('expo/metro-config')

const root = path.resolve(__dirname, '../../..')
const config = getDefaultConfig(__dirname)

config.watchFolders = [
  path.join(root, 'node_modules'),
  path.join(root, 'packages/protocol'),
  path.join(root, 'apps/client/worklet')
]
// Files outside this folder still need this folder's packages (Babel's runtime helpers).
config.resolver.nodeModulesPaths = [path.join(__dirname, 'node_modules')]
// expo-sqlite's web build is SQLite compiled to WebAssembly (wa-sqlite), loaded as an asset.
config.resolver.assetExts.push('wasm')

module.exports = config
