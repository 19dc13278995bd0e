/**
 * Starts the real built server (`node .output/server/index.mjs`) as a child process for tests,
 * on a free port, and waits for /api/ready. Tests talk to it over HTTP on 127.0.0.1 with a Host
 * header, since Node does not resolve *.localhost.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const SERVER_ENTRY = resolve(ROOT, '.output/server/index.mjs')

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => ok(port))
    })
  })
}

export interface RunningServer {
  port: number
  url: string
  process: ChildProcess
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/**
 * A hard-linked snapshot of `.output`: a rebuild replaces files rather than rewriting them, so a
 * running test server keeps loading its own build's lazy chunks even if someone rebuilds meanwhile.
 */
function snapshotBuild(): { entry: string, remove: () => void } {
  if (!existsSync(SERVER_ENTRY)) throw new Error('no build: run `npm run build` (npm test does it) before the API tests')
  const dir = mkdtempSync(join(tmpdir(), 'paksa-build-'))
  // mkdtemp makes it 0700; as root the embedded PostgreSQL runs as `postgres` and must reach its binaries in here.
  chmodSync(dir, 0o755)
  execFileSync('cp', ['-al', resolve(ROOT, '.output'), dir])
  return { entry: join(dir, '.output/server/index.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function startServer(env: Record<string, string | undefined>, options: { timeoutMs?: number, waitReady?: boolean, /** Node flags, e.g. `--cpu-prof`. */ nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const build = snapshotBuild()
  const port = await freePort()
  let output = ''
  const child = spawn(process.execPath, [...options.nodeArgs ?? [], build.entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (d: Buffer) => {
    output += d.toString()
  }
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  const exited = new Promise<number | null>(r => child.once('exit', (code) => {
    build.remove()
    r(code)
  }))
  const server: RunningServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
  if (options.waitReady === false) return server
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${server.url}/api/ready`)
      if (res.ok) return server
    }
    catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 200))
  }
  await server.stop('SIGKILL')
  throw new Error(`server not ready in time:\n${output}`)
}
