// A stand-in for Electron's macOS build (what electron-builder calls `electronDist`): the
// Electron.app layout with the plists and executables electron-builder renames and edits,
// and nothing inside. It cannot run; it lets `electron-builder --mac --dir` package our app
// here, where the real darwin zip cannot be downloaded.
//
//   const electronDist = await electronSkeleton(dir)   // dir/Electron.app/Contents/…

import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const plist = (name: string, id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleExecutable</key><string>${name}</string>
  <key>CFBundleIdentifier</key><string>${id}</string>
  <key>CFBundleName</key><string>${name}</string>
  <key>CFBundlePackageType</key><string>APPL</string>
</dict>
</plist>
`

export async function electronSkeleton(dir: string): Promise<string> {
  const contents = join(dir, 'Electron.app', 'Contents')
  // electron-builder renames the main executable and the " Helper" app (always present).
  const bundles: Array<[string, string, string]> = [
    [contents, 'Electron', 'com.github.Electron'],
    [
      join(contents, 'Frameworks', 'Electron Helper.app', 'Contents'),
      'Electron Helper',
      'com.github.Electron.helper'
    ]
  ]
  for (const [at, name, id] of bundles) {
    await mkdir(join(at, 'MacOS'), { recursive: true })
    await writeFile(join(at, 'Info.plist'), plist(name, id))
    await writeFile(join(at, 'MacOS', name), '#!/bin/sh\necho "stand-in, not Electron"\n')
    await chmod(join(at, 'MacOS', name), 0o755)
  }
  await mkdir(join(contents, 'Resources'), { recursive: true })
  return dir
}
