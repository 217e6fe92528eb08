// A real terminal of a given size for a command: a detached tmux session (no status bar, so
// the command has every row), its screen read back with `capture-pane`. Its own tmux server
// (socket in a temp folder), killed at teardown.
//
//   const term = await tmuxTerminal(t, { columns: 80, rows: 24, command: [node, bin, 'host'] })
//   await term.waitFor((text) => text.includes('Ready')); term.capture({ colours: true })

import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '@localllm/testing'

export interface TmuxTerminal {
  /** The visible screen; `colours` keeps the SGR codes, `joined` unwraps wrapped lines. */
  capture(options?: { colours?: boolean; joined?: boolean }): string
  /** The screen, once `match` says so; rejects after `timeoutMs`. */
  waitFor(match: (text: string) => boolean, timeoutMs?: number): Promise<string>
  resize(columns: number, rows: number): void
}

export async function tmuxTerminal(
  t: TestContext,
  options: { columns: number; rows: number; command: string[]; env?: Record<string, string> }
): Promise<TmuxTerminal> {
  const dir = await tempDir(t, 'localllm-tmux-')
  const socket = join(dir, 'tmux.sock')
  const config = join(dir, 'tmux.conf')
  writeFileSync(config, 'set -g status off\nset -g remain-on-exit on\n')
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' }
  delete env.TMUX
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', config, ...args], { env, encoding: 'utf8' })

  const exports = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${quote(v)}`)
  const command = ['env', ...exports, ...options.command.map(quote)].join(' ')
  tmux('new-session', '-d', '-x', String(options.columns), '-y', String(options.rows), command)
  t.teardown(
    () => {
      try {
        tmux('kill-server')
      } catch {
        // Already gone.
      }
    },
    { order: -50 }
  )

  const capture = ({ colours = false, joined = false } = {}) =>
    tmux(
      'capture-pane',
      '-p',
      // Colours, and the trailing spaces that carry them (a QR code's white edge).
      ...(colours ? ['-e', '-N'] : []),
      ...(joined ? ['-J'] : []),
      '-t',
      '0'
    )
  return {
    capture,
    async waitFor(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const text = capture({ joined: true })
        if (match(text)) return text
        if (Date.now() > deadline) throw new Error(`the screen never matched:\n${text}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    },
    resize(columns, rows) {
      tmux('resize-window', '-x', String(columns), '-y', String(rows), '-t', '0')
    }
  }
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}
