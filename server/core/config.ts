/**
 * Run-time configuration, read from the environment and validated once with zod.
 * The web server and the worker import this same module (no Nitro auto-imports here).
 *
 * Secrets: with DATABASE_URL set this is a real deployment and JWT_SECRET / ENCRYPTION_KEY must be
 * given; with no DATABASE_URL (the embedded default) they are generated once and kept in
 * `DATA_DIR/secrets.json` so tokens survive restarts. NODE_ENV never decides this: builds pin it.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

/**
 * TRUST_PROXY: how many proxies in front of the app append to X-Forwarded-For. `0`/`false`/`no`
 * (or unset) trusts none; `1`/`true`/`yes` one; a number `n` (up to 10) the n-th entry from the
 * right, for chains such as CDN → load balancer → app.
 */
const proxyHops = z
  .string()
  .regex(/^(?:\d{1,2}|true|false|yes|no)$/, 'must be 0, 1, the number of proxy hops (up to 10), true or false')
  .optional()
  .transform(v => v === undefined || v === 'false' || v === 'no' ? 0 : v === 'true' || v === 'yes' ? 1 : Number(v))
  .refine(n => n <= 10, 'must be at most 10 proxy hops')

const EnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_READ_URL: z.string().url().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_BASE_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a host name').default('localhost'),
  TRUST_PROXY: proxyHops,
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ENCRYPTION_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64').optional(),
  /** Keys ENCRYPTION_KEY replaced, comma-separated: still read (each ciphertext names its key), never written with. */
  ENCRYPTION_KEYS_RETIRED: z.string().regex(/^[A-Za-z0-9+/]{43}=(,[A-Za-z0-9+/]{43}=)*$/, 'must be comma-separated 32-byte keys in base64').optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SMTP_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./.data'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Report files: the filesystem under DATA_DIR (default) or an S3-compatible bucket. */
  FILE_STORAGE: z.enum(['fs', 's3']).default('fs'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('auto'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** How long a job's lock lasts before a silent (killed) worker's job is taken up again. */
  JOB_LOCK_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
  /** Host the worker inside the web process (default: yes without REDIS_URL, no with it). */
  WORKER_IN_PROCESS: z.enum(['1', '0', 'true', 'false', 'yes', 'no']).optional(),
  /** Jobs a worker runs at once per queue. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** API requests a minute per signed-in principal; load tests and trusted integrations raise it. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
})

export interface AppConfig {
  databaseUrl?: string
  databaseReadUrl?: string
  redisUrl?: string
  port: number
  baseDomain: string
  /** True when a proxy is trusted at all (forwarded host, scheme and client IP are read). */
  trustProxy: boolean
  /** How many trusted proxies append to X-Forwarded-For: the client IP is the entry this far from the right. */
  trustProxyHops: number
  jwtSecret: string
  encryptionKey: string
  /** Earlier encryption keys, for reading what they encrypted (ENCRYPTION_KEYS_RETIRED). */
  retiredEncryptionKeys: string[]
  admin?: { email: string, password: string, generated: boolean }
  smtpUrl?: string
  dataDir: string
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  files: { driver: 'fs' } | { driver: 's3', endpoint: string, region: string, bucket: string, accessKeyId: string, secretAccessKey: string }
  jobLockSeconds: number
  workerConcurrency: number
  workerInProcess: boolean
  apiRateLimitPerMinute: number
  /** True when no DATABASE_URL is set and the server runs its own PostgreSQL. */
  embedded: boolean
  /** Superuser password of the embedded PostgreSQL (generated, embedded default only). */
  embeddedDatabasePassword?: string
}

export class ConfigError extends Error {}

/** Treats empty strings as unset, as shells and compose files often pass `VAR=`. */
function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v
  return out
}

interface GeneratedSecrets { jwtSecret: string, encryptionKey: string, adminPassword: string, databasePassword: string }

function loadOrCreateSecrets(dataDir: string): GeneratedSecrets {
  const file = resolve(dataDir, 'secrets.json')
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as GeneratedSecrets
  mkdirSync(dataDir, { recursive: true })
  const secrets: GeneratedSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
    adminPassword: randomBytes(12).toString('base64url'),
    databasePassword: randomBytes(24).toString('base64url'),
  }
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' })
  return secrets
}

/** Parses and checks the environment; throws ConfigError with a one-line reason. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(cleanEnv(env))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')} ${issue.message}`)
  }
  const e = parsed.data
  const embedded = !e.DATABASE_URL
  const dataDir = resolve(e.DATA_DIR)
  if (!embedded) {
    const missing = (['JWT_SECRET', 'ENCRYPTION_KEY'] as const).filter(k => !e[k])
    if (missing.length) throw new ConfigError(`DATABASE_URL is set, so ${missing.join(' and ')} must be set too`)
    if (!!e.ADMIN_EMAIL !== !!e.ADMIN_PASSWORD) throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD go together')
  }
  if (e.FILE_STORAGE === 's3') {
    const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(k => !e[k])
    if (missing.length) throw new ConfigError(`FILE_STORAGE=s3 needs ${missing.join(', ')}`)
  }
  const generated = embedded ? loadOrCreateSecrets(dataDir) : undefined
  const adminEmail = e.ADMIN_EMAIL ?? (embedded ? `admin@${e.APP_BASE_DOMAIN}` : undefined)
  const adminPassword = e.ADMIN_PASSWORD ?? generated?.adminPassword
  return {
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    baseDomain: e.APP_BASE_DOMAIN.toLowerCase(),
    trustProxy: e.TRUST_PROXY > 0,
    trustProxyHops: e.TRUST_PROXY,
    jwtSecret: e.JWT_SECRET ?? generated!.jwtSecret,
    encryptionKey: e.ENCRYPTION_KEY ?? generated!.encryptionKey,
    retiredEncryptionKeys: e.ENCRYPTION_KEYS_RETIRED?.split(',') ?? [],
    admin: adminEmail && adminPassword
      ? { email: adminEmail.toLowerCase(), password: adminPassword, generated: !e.ADMIN_PASSWORD }
      : undefined,
    smtpUrl: e.SMTP_URL,
    dataDir,
    logLevel: e.LOG_LEVEL,
    files: e.FILE_STORAGE === 's3'
      ? { driver: 's3', endpoint: e.S3_ENDPOINT!, region: e.S3_REGION, bucket: e.S3_BUCKET!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY! }
      : { driver: 'fs' },
    jobLockSeconds: e.JOB_LOCK_SECONDS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerInProcess: e.WORKER_IN_PROCESS ? ['1', 'true', 'yes'].includes(e.WORKER_IN_PROCESS) : !e.REDIS_URL,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    embedded,
    embeddedDatabasePassword: generated?.databasePassword,
  }
}

let cached: AppConfig | undefined

/** The process-wide configuration, parsed on first use. */
export function useConfig(): AppConfig {
  cached ??= parseConfig()
  return cached
}
