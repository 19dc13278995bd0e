import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AdminLoginBody } from '../../server/contracts/tenants'
import { ConfigError, parseConfig } from '../../server/core/config'

const DATABASE_URL = 'postgres://app:pw@db.internal:5432/paksa'
const JWT_SECRET = randomBytes(32).toString('hex')
const ENCRYPTION_KEY = randomBytes(32).toString('base64')

const dirs: string[] = []
function tempDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'paksa-config-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Runs parseConfig and returns the ConfigError it throws (failing the test if it does not). */
function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(env)
  }
  catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error('parseConfig accepted the configuration')
}

const oneLine = (message: string) => expect(message).not.toMatch(/[\r\n]/)

describe('configuration with DATABASE_URL (a real deployment)', () => {
  it('refuses to start without JWT_SECRET and ENCRYPTION_KEY, naming both in one line', () => {
    const err = refusal({ DATABASE_URL, DATA_DIR: tempDataDir() })
    oneLine(err.message)
    expect(err.message).toContain('JWT_SECRET')
    expect(err.message).toContain('ENCRYPTION_KEY')
  })

  it('names only the secret that is missing', () => {
    const noJwt = refusal({ DATABASE_URL, ENCRYPTION_KEY })
    expect(noJwt.message).toContain('JWT_SECRET')
    expect(noJwt.message).not.toContain('ENCRYPTION_KEY')
    const noKey = refusal({ DATABASE_URL, JWT_SECRET })
    expect(noKey.message).toContain('ENCRYPTION_KEY')
    expect(noKey.message).not.toContain('JWT_SECRET')
  })

  it('treats an empty variable as unset', () => {
    const err = refusal({ DATABASE_URL, JWT_SECRET: '', ENCRYPTION_KEY })
    expect(err.message).toContain('JWT_SECRET')
  })

  it('does not generate secrets or write under DATA_DIR', () => {
    const dataDir = tempDataDir()
    refusal({ DATABASE_URL, DATA_DIR: dataDir })
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false)
  })

  it('accepts the given secrets and uses them as they are', () => {
    const config = parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY })
    expect(config.embedded).toBe(false)
    expect(config.databaseUrl).toBe(DATABASE_URL)
    expect(config.jwtSecret).toBe(JWT_SECRET)
    expect(config.encryptionKey).toBe(ENCRYPTION_KEY)
    expect(config.admin).toBeUndefined()
  })

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD (and the reverse) in one line', () => {
    const noPassword = refusal({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, ADMIN_EMAIL: 'ops@example.com' })
    oneLine(noPassword.message)
    expect(noPassword.message).toContain('ADMIN_PASSWORD')
    const noEmail = refusal({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, ADMIN_PASSWORD: 'a-long-admin-password' })
    expect(noEmail.message).toContain('ADMIN_EMAIL')
  })

  it('bootstraps the configured admin with the configured password, not a generated one', () => {
    const config = parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, ADMIN_EMAIL: 'Ops@Example.com', ADMIN_PASSWORD: 'a-long-admin-password' })
    expect(config.admin).toEqual({ email: 'ops@example.com', password: 'a-long-admin-password', generated: false })
  })

  it('refuses a short JWT_SECRET and a malformed ENCRYPTION_KEY', () => {
    expect(refusal({ DATABASE_URL, JWT_SECRET: 'short', ENCRYPTION_KEY }).message).toContain('JWT_SECRET')
    expect(refusal({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY: 'not-base64-32-bytes' }).message).toContain('ENCRYPTION_KEY')
  })
})

describe('configuration values are validated', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', '127.0.0.1:6379'],
    ['DATABASE_URL', 'not a url'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', '-1'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '1.5'],
  ])('refuses %s=%s with a one-line error naming it', (name, value) => {
    const err = refusal({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, [name]: value })
    oneLine(err.message)
    expect(err.message).toContain(name)
  })

  it('accepts redis:// and rediss:// URLs, a valid PORT and TRUST_PROXY=1', () => {
    const base = { DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY }
    expect(parseConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379')
    expect(parseConfig({ ...base, REDIS_URL: 'rediss://cache.internal:6380' }).redisUrl).toBe('rediss://cache.internal:6380')
    expect(parseConfig({ ...base, PORT: '8080' }).port).toBe(8080)
    expect(parseConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(true)
  })

  it('reads TRUST_PROXY as a number of proxy hops: 0/false/no none, 1/true/yes one, n up to 10', () => {
    const base = { DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY }
    const cases: [string, boolean, number][] = [
      ['0', false, 0], ['false', false, 0], ['no', false, 0],
      ['1', true, 1], ['true', true, 1], ['yes', true, 1],
      ['2', true, 2], ['10', true, 10],
    ]
    for (const [value, trustProxy, trustProxyHops] of cases) {
      expect(parseConfig({ ...base, TRUST_PROXY: value }), value).toMatchObject({ trustProxy, trustProxyHops })
    }
  })

  it('defaults to port 3000, base domain localhost and no proxy trust', () => {
    const config = parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY })
    expect(config.port).toBe(3000)
    expect(config.baseDomain).toBe('localhost')
    expect(config.trustProxy).toBe(false)
    expect(config.trustProxyHops).toBe(0)
  })

  it('is not decided by NODE_ENV: production without DATABASE_URL is still the embedded default', () => {
    const config = parseConfig({ NODE_ENV: 'production', DATA_DIR: tempDataDir() })
    expect(config.embedded).toBe(true)
  })
})

describe('configuration on the embedded default (no DATABASE_URL)', () => {
  it('generates the secrets once under DATA_DIR and reuses them on the next parse', () => {
    const dataDir = tempDataDir()
    const first = parseConfig({ DATA_DIR: dataDir })
    expect(first.embedded).toBe(true)
    expect(first.dataDir).toBe(dataDir)
    const file = join(dataDir, 'secrets.json')
    expect(existsSync(file)).toBe(true)
    const stored = JSON.parse(readFileSync(file, 'utf8'))
    expect(stored.jwtSecret).toBe(first.jwtSecret)
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32)
    expect(Buffer.from(first.encryptionKey, 'base64')).toHaveLength(32)
    expect(first.embeddedDatabasePassword).toBeTruthy()
    expect(first.admin).toMatchObject({ email: 'admin@localhost', generated: true })

    const second = parseConfig({ DATA_DIR: dataDir })
    expect(second.jwtSecret).toBe(first.jwtSecret)
    expect(second.encryptionKey).toBe(first.encryptionKey)
    expect(second.embeddedDatabasePassword).toBe(first.embeddedDatabasePassword)
    expect(second.admin?.password).toBe(first.admin?.password)
  })

  it('generates a platform admin whose credentials the back-office sign-in accepts', () => {
    const { admin } = parseConfig({ DATA_DIR: tempDataDir() })
    expect(AdminLoginBody.safeParse({ email: admin!.email, password: admin!.password }).success).toBe(true)
  })

  it('generates different secrets for a different DATA_DIR', () => {
    const a = parseConfig({ DATA_DIR: tempDataDir() })
    const b = parseConfig({ DATA_DIR: tempDataDir() })
    expect(a.jwtSecret).not.toBe(b.jwtSecret)
    expect(a.encryptionKey).not.toBe(b.encryptionKey)
  })

  it('creates DATA_DIR when it does not exist yet', () => {
    const dataDir = join(tempDataDir(), 'nested', 'data')
    parseConfig({ DATA_DIR: dataDir })
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true)
  })

  it('keeps the secrets file private to its owner', () => {
    const dataDir = tempDataDir()
    parseConfig({ DATA_DIR: dataDir })
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o077).toBe(0)
  })

  it('prefers secrets given in the environment over generated ones', () => {
    const config = parseConfig({ DATA_DIR: tempDataDir(), JWT_SECRET, ENCRYPTION_KEY })
    expect(config.jwtSecret).toBe(JWT_SECRET)
    expect(config.encryptionKey).toBe(ENCRYPTION_KEY)
  })

  it('accepts ADMIN_EMAIL alone and generates the admin password', () => {
    const config = parseConfig({ DATA_DIR: tempDataDir(), ADMIN_EMAIL: 'ops@example.com' })
    expect(config.admin).toMatchObject({ email: 'ops@example.com', generated: true })
    expect(config.admin!.password.length).toBeGreaterThanOrEqual(12)
  })
})

describe('background work configuration', () => {
  it('runs the worker inside the web process without REDIS_URL, and not with it, unless told', () => {
    expect(parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY }).workerInProcess).toBe(true)
    expect(parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, REDIS_URL: 'redis://127.0.0.1:6379' }).workerInProcess).toBe(false)
    expect(parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, REDIS_URL: 'redis://127.0.0.1:6379', WORKER_IN_PROCESS: '1' }).workerInProcess).toBe(true)
  })

  it('keeps report files on the filesystem by default; FILE_STORAGE=s3 needs its bucket settings', () => {
    expect(parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY }).files).toEqual({ driver: 'fs' })
    expect(() => parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, FILE_STORAGE: 's3', S3_ENDPOINT: 'https://s3.example.com' }))
      .toThrow('FILE_STORAGE=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY')
    const s3 = parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, FILE_STORAGE: 's3', S3_ENDPOINT: 'https://s3.example.com', S3_BUCKET: 'paksa', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' })
    expect(s3.files).toEqual({ driver: 's3', endpoint: 'https://s3.example.com', region: 'auto', bucket: 'paksa', accessKeyId: 'id', secretAccessKey: 'secret' })
  })

  it('refuses a job lock shorter than two seconds', () => {
    expect(() => parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, JOB_LOCK_SECONDS: '1' })).toThrow(/JOB_LOCK_SECONDS/)
  })
})

describe('API rate limit configuration', () => {
  it('allows 600 API requests a minute per principal unless API_RATE_LIMIT_PER_MINUTE says otherwise', () => {
    expect(parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY }).apiRateLimitPerMinute).toBe(600)
    expect(parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, API_RATE_LIMIT_PER_MINUTE: '100000' }).apiRateLimitPerMinute).toBe(100000)
  })

  it('refuses a rate limit that is not a positive whole number', () => {
    for (const bad of ['0', '-5', '2.5', 'many']) {
      expect(() => parseConfig({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, API_RATE_LIMIT_PER_MINUTE: bad })).toThrow(/API_RATE_LIMIT_PER_MINUTE/)
    }
  })
})
