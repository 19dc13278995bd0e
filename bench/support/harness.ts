/**
 * What every benchmark here shares: concurrent loops with latencies, sequential timing with a
 * warm-up, percentiles, the build lock held while the server's build snapshot is taken, and a
 * tenant's fiscal year opened by SQL. Figures are printed by each benchmark, against a baseline
 * measured in the same run (SPEC section 8).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type postgres from 'postgres'
import { startServer, type RunningServer } from '../../tests/support/server'

const PHASE_TIMEOUT_MS = 300_000

export function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! : Number.NaN
}

export const ms = (v: number) => `${v.toFixed(1)} ms`

export interface Phase { done: number, seconds: number, rate: number, latencies: number[] }

/**
 * Runs `count` jobs on `workers` concurrent loops, timing each job; stops early (and says so)
 * past the phase deadline. A job returns false when it did not do what it was asked (counted apart).
 */
export async function runConcurrent(count: number, workers: number, job: (i: number, worker: number) => Promise<boolean>): Promise<Phase & { failed: number }> {
  let next = 0
  let failed = 0
  const latencies: number[] = []
  const deadline = Date.now() + PHASE_TIMEOUT_MS
  const started = performance.now()
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < count && Date.now() < deadline) {
      const t = performance.now()
      if (await job(next++, w)) latencies.push(performance.now() - t)
      else failed++
    }
  }))
  const seconds = (performance.now() - started) / 1000
  if (next < count) console.log(`  (phase stopped at the ${PHASE_TIMEOUT_MS / 1000} s deadline after ${next} of ${count} jobs)`)
  latencies.sort((a, b) => a - b)
  return { done: latencies.length, failed, seconds, rate: latencies.length / seconds, latencies }
}

export const latencyLine = (p: Phase) => `p50 ${ms(percentile(p.latencies, 0.5))}  p95 ${ms(percentile(p.latencies, 0.95))}  p99 ${ms(percentile(p.latencies, 0.99))}`

export async function timeRuns(runs: number, once: () => Promise<void>) {
  await once() // warm-up, not counted
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await once()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

/** The tenant's fiscal year 2025 with twelve monthly periods and its (empty) counter row, by SQL as the owner. */
export async function openYear(sql: postgres.Sql, tenantId: string): Promise<string> {
  const [year] = await sql`insert into fiscal_years (tenant_id, start_date, end_date) values (${tenantId}, '2025-01-01', '2025-12-31') returning id`
  await sql`insert into fiscal_periods (tenant_id, fiscal_year_id, number, start_date, end_date)
    select ${tenantId}, ${year!.id}, m, make_date(2025, m, 1), (make_date(2025, m, 1) + interval '1 month' - interval '1 day')::date
      from generate_series(1, 12) m`
  await sql`insert into entry_counters (tenant_id, fiscal_year_id, last_number) values (${tenantId}, ${year!.id}, 0)`
  return year!.id as string
}

/**
 * Holds /tmp/paksa-build.lock (the lock every `nuxt build` here runs under) while the server's build
 * snapshot is taken, so a concurrent rebuild cannot leave `.output` half-written under us.
 */
export function holdBuildLock(): Promise<() => void> {
  return new Promise((resolve, reject) => {
    // -o: only flock itself holds the lock; it lets go when `cat` ends, i.e. when we close its stdin.
    const child = spawn('flock', ['-o', '-w', '600', '/tmp/paksa-build.lock', 'sh', '-c', 'echo locked; exec cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] })
    child.once('error', reject)
    child.once('exit', code => reject(new Error(`could not take the build lock (flock exited ${code})`)))
    child.stdout.once('data', () => {
      child.removeAllListeners('exit')
      resolve(() => child.stdin.end())
    })
  })
}

export interface BenchServer { server: RunningServer, admin: { email: string, password: string } }

/**
 * The built server on `databaseUrl` (REDIS_URL from the environment, a throw-away DATA_DIR), with
 * the per-principal rate limit lifted — a load test is a trusted client — and a platform admin to
 * create tenants with. The build snapshot is taken under the build lock.
 */
/** `BENCH_CPU_PROF=<folder>`: the server writes a V8 CPU profile there when it stops (bench/cpu-profile.ts reads it). */
export const cpuProfileArgs = () => process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []

export async function startBenchServer(databaseUrl: string, dataDir: string, options: { env?: Record<string, string | undefined>, nodeArgs?: string[] } = {}): Promise<BenchServer> {
  const admin = { email: 'admin@paksa.bench', password: `admin-${randomBytes(9).toString('hex')}` }
  const release = await holdBuildLock()
  try {
    const server = await startServer({
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      DATA_DIR: dataDir,
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      ...options.env,
    }, { nodeArgs: options.nodeArgs ?? cpuProfileArgs() })
    return { server, admin }
  }
  finally {
    release()
  }
}
