// `localllm devices [--json]` lists the devices paired with this host; `localllm devices
// remove <id-or-name>` removes one: it is dropped now, refused from then on, and the host's
// Server ID changes so the old one pairs nothing new (other devices keep working).
//
// While a host runs on the config folder, both go through its control socket (so the
// removal takes effect at once); otherwise they read and change the folder's files.

import { Command } from 'commander'
import envPaths from 'env-paths'
import { LocalLLMHost, type DeviceView } from '../host.js'
import { createLogger } from '../logger.js'
import { controlRequest } from '../control-socket.js'

interface DevicesFlags {
  json?: boolean
  configDir?: string
}

export function createDevicesCommand(): Command {
  const configDirOption = [
    '--config-dir <dir>',
    "the host's config folder (default: the platform config folder)"
  ] as const
  const command = new Command('devices')
    .description('List the devices paired with this host; `devices remove` removes one')
    .option('--json', 'print JSON')
    .option(...configDirOption)
    .action(async (flags: DevicesFlags) => process.exit(await listDevices(flags)))
  command
    .command('remove')
    .description('Remove a paired device (by its id, or by its name)')
    .argument(
      '<id-or-name>',
      'the id `localllm devices` shows (or its first characters), or the name'
    )
    .option('--json', 'print JSON')
    .option(...configDirOption)
    .action(async (query: string, flags: DevicesFlags) =>
      process.exit(await removeDevice(query, { ...command.opts<DevicesFlags>(), ...flags }))
    )
  return command
}

function configDirOf(flags: DevicesFlags): string {
  return flags.configDir ?? envPaths('localllm', { suffix: '' }).config
}

async function listDevices(flags: DevicesFlags): Promise<number> {
  const dir = configDirOf(flags)
  const answer = await controlRequest(dir, { cmd: 'devices' })
  let devices: DeviceView[]
  if (answer === undefined) {
    devices = await offlineHost(dir).listDevices()
  } else if (answer.ok) {
    devices = answer.devices as DeviceView[]
  } else {
    process.stderr.write(`localllm devices: ${answer.error}\n`)
    return 1
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ running: answer !== undefined, devices }) + '\n')
    return 0
  }
  if (devices.length === 0) {
    process.stdout.write('No devices are paired with this host yet.\n')
    return 0
  }
  for (const d of devices) {
    const seen = d.connected ? 'connected now' : `last seen ${formatTime(d.lastSeen)}`
    process.stdout.write(
      `${d.id}  ${d.name || '(no name)'}  · ${seen} · paired ${formatTime(d.firstSeen)}\n`
    )
  }
  return 0
}

async function removeDevice(query: string, flags: DevicesFlags): Promise<number> {
  const dir = configDirOf(flags)
  let removed: DeviceView | undefined
  let error: string | undefined
  const answer = await controlRequest(dir, { cmd: 'remove', device: query })
  if (answer === undefined) {
    try {
      removed = { ...(await offlineHost(dir).removeDevice(query)), connected: false }
    } catch (err) {
      error = (err as Error).message
    }
  } else if (answer.ok) {
    removed = answer.removed as DeviceView
  } else {
    error = answer.error
  }
  if (!removed) {
    process.stderr.write(`localllm devices remove: ${error ?? 'failed'}\n`)
    return 1
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ removed }) + '\n')
  } else {
    process.stdout.write(
      `Removed ${removed.name || removed.id} (${removed.id}). The host's Server ID changed; ` +
        'share the new one with new devices. Paired devices keep working.\n'
    )
  }
  return 0
}

/** The engine on the folder, not started: reads and changes its files only. */
function offlineHost(configDir: string): LocalLLMHost {
  return new LocalLLMHost({
    bootstrap: 'public',
    ollamaUrl: 'http://127.0.0.1:11434',
    configDir,
    log: createLogger({ level: 'silent' })
  })
}

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16)
}
