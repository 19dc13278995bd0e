import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { clusterDirOf, startEmbeddedDatabase } from '../../db/embedded'
import { type RunningServer, startServer } from '../support/server'
import { call, hostFor, processesMentioning } from './helpers'

/**
 * The embedded default: no DATABASE_URL, so the built server starts its own PostgreSQL under
 * DATA_DIR, migrates it, seeds a demo tenant and prints the credentials once.
 */
describe('the embedded default (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-embedded-'))
  const env = { DATA_DIR: dataDir }
  const servers: RunningServer[] = []
  let demo: { email: string, password: string } | undefined
  let backOffice: { email: string, password: string } | undefined
  let firstToken: string | undefined

  afterAll(async () => {
    for (const s of servers) await s.stop()
    rmSync(clusterDirOf(dataDir), { recursive: true, force: true })
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('prints the demo tenant and back-office credentials on the first start', async () => {
    const server = await startServer(env, { timeoutMs: 120_000 })
    servers.push(server)
    // Ready means seeded: the credentials are printed before /api/ready answers 200.
    const output = server.output()
    const demoLine = /Demo tenant: http:\/\/demo\.localhost:(\d+)\/login\s+(\S+@\S+) \/ (\S+)/.exec(output)
    const adminLine = /Back-office: http:\/\/admin\.localhost:(\d+)\/admin\/login\s+(\S+@\S+) \/ (\S+)/.exec(output)
    expect(demoLine, output).not.toBeNull()
    expect(adminLine, output).not.toBeNull()
    expect(Number(demoLine![1])).toBe(server.port)
    demo = { email: demoLine![2]!, password: demoLine![3]! }
    backOffice = { email: adminLine![2]!, password: adminLine![3]! }
    expect(demo.email).toBe('owner@demo.localhost')
    expect(output.match(/Demo tenant:/g)).toHaveLength(1)
  })

  it('lets the printed demo owner sign in on demo.localhost', async () => {
    const server = servers[0]!
    const signIn = await call(server, 'POST', hostFor(server, 'demo'), '/api/v1/auth/login', { json: demo })
    expect(signIn.status, signIn.text).toBe(200)
    firstToken = signIn.body.accessToken
    const me = await call(server, 'GET', hostFor(server, 'demo'), '/api/v1/me', { token: firstToken })
    expect(me.status).toBe(200)
    expect(me.body.tenant).toMatchObject({ slug: 'demo', name: 'Demo Company' })
    expect(me.body.roles).toEqual(['owner'])
  })

  it('lets the printed back-office admin sign in on admin.localhost', async () => {
    const server = servers[0]!
    const res = await call(server, 'POST', hostFor(server, 'admin'), '/api/v1/admin/auth/login', { json: backOffice })
    expect(res.status, res.text).toBe(200)
    const tenants = await call(server, 'GET', hostFor(server, 'admin'), '/api/v1/admin/tenants?q=demo', { token: res.body.accessToken })
    expect(tenants.body.data.map((t: { slug: string }) => t.slug)).toContain('demo')
  })

  it('keeps the generated secrets in DATA_DIR/secrets.json, readable by its owner only', async () => {
    const file = join(dataDir, 'secrets.json')
    expect(existsSync(file)).toBe(true)
    const secrets = JSON.parse(readFileSync(file, 'utf8'))
    expect(secrets.jwtSecret.length).toBeGreaterThanOrEqual(32)
    expect(Buffer.from(secrets.encryptionKey, 'base64')).toHaveLength(32)
    expect(statSync(file).mode & 0o077).toBe(0)
  })

  it('keeps the cluster in DATA_DIR/pg, or as root under a private DATA_DIR in /var/lib/paksa/clusters, never opening DATA_DIR up', () => {
    // mkdtemp made DATA_DIR mode 700: as root, the `postgres` user that runs the cluster cannot reach into it.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    const cluster = clusterDirOf(dataDir)
    if (process.getuid?.() === 0) {
      expect(cluster).toMatch(/^\/var\/lib\/paksa\/clusters\/[0-9a-f]{16}$/)
      expect(JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8'))).toEqual({ cluster })
      expect(existsSync(join(dataDir, 'pg'))).toBe(false)
    }
    else {
      expect(cluster).toBe(join(dataDir, 'pg'))
    }
    expect(existsSync(join(cluster, 'PG_VERSION'))).toBe(true)
  })

  it('stops the server and the embedded PostgreSQL on SIGTERM', async () => {
    const server = servers.shift()!
    const pgDir = clusterDirOf(dataDir)
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(true)
    const postmaster = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    expect(processesMentioning(pgDir).length).toBeGreaterThan(0)

    const code = await server.stop('SIGTERM')
    expect(code).toBe(0)
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false)
    expect(processesMentioning(pgDir)).toEqual([])
    expect(() => process.kill(postmaster, 0)).toThrow()
  })

  it('does not print credentials again on the next start, and the same credentials and tokens still work', async () => {
    const server = await startServer(env, { timeoutMs: 120_000 })
    servers.push(server)
    const output = server.output()
    expect(output).not.toMatch(/Demo tenant:|Back-office:/)
    expect(output).not.toContain(demo!.password)
    expect(output).not.toContain(backOffice!.password)

    // The access token issued by the first process verifies here: the JWT secret persisted.
    const me = await call(server, 'GET', hostFor(server, 'demo'), '/api/v1/me', { token: firstToken })
    expect(me.status, me.text).toBe(200)
    expect(me.body.tenant.slug).toBe('demo')

    const signIn = await call(server, 'POST', hostFor(server, 'demo'), '/api/v1/auth/login', { json: demo })
    expect(signIn.status, signIn.text).toBe(200)
    const admin = await call(server, 'POST', hostFor(server, 'admin'), '/api/v1/admin/auth/login', { json: backOffice })
    expect(admin.status, admin.text).toBe(200)

    // Still exactly one demo tenant.
    const tenants = await call(server, 'GET', hostFor(server, 'admin'), '/api/v1/admin/tenants?q=demo', { token: admin.body.accessToken })
    expect(tenants.body.data.filter((t: { slug: string }) => t.slug === 'demo')).toHaveLength(1)

    expect(await servers.pop()!.stop('SIGTERM')).toBe(0)
    expect(existsSync(join(clusterDirOf(dataDir), 'postmaster.pid'))).toBe(false)
  })
})

describe('the embedded cluster of a DATA_DIR', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'paksa-cluster-')), 'data')
  const clusters = new Set<string>()
  const start = async () => {
    const db = await startEmbeddedDatabase(dataDir, 'cluster-test-password', () => {})
    clusters.add(db.dir)
    await db.stop()
    return db
  }

  afterAll(() => {
    for (const dir of clusters) rmSync(dir, { recursive: true, force: true })
    rmSync(join(dataDir, '..'), { recursive: true, force: true })
  })

  it('finds the same cluster again at the next start, and a new one once DATA_DIR is deleted', async () => {
    const first = await start()
    expect(first.firstStart).toBe(true)
    const again = await start()
    expect(again).toMatchObject({ firstStart: false, dir: first.dir })

    rmSync(dataDir, { recursive: true })
    const fresh = await start()
    expect(fresh.firstStart).toBe(true)
    // Under DATA_DIR/pg the cluster went with DATA_DIR; one kept outside it gets a new id.
    if (first.dir !== join(dataDir, 'pg')) expect(fresh.dir).not.toBe(first.dir)
    expect(existsSync(join(fresh.dir, 'PG_VERSION'))).toBe(true)
  })
})
