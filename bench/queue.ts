/**
 * Queue backend benchmark: the same BullMQ workload on BullMQ's PostgreSQL backend (what the
 * embedded default uses, no Redis) and on Redis (production), measured in one run. The ratio
 * says what the embedded default gives up.
 *
 * Workload: JOBS jobs added in bulk, then processed by one worker with CONCURRENCY; each job does
 * what our processors' bookkeeping costs without the work itself (it returns at once), so the
 * numbers are the queue's own overhead per job: add, fetch, lock, complete.
 *
 * Run: `REDIS_URL=redis://127.0.0.1:6379 npm run bench:queue` (PostgreSQL: a fresh database on
 * DATABASE_URL's server, or an embedded one when DATABASE_URL is unset).
 */
import { randomBytes } from 'node:crypto'
import { createPostgresBackend, Queue, Worker, withBackend } from 'bullmq'
import { Redis } from 'ioredis'
import { createTestDatabase } from '../tests/support/database'

const JOBS = Number(process.env.BENCH_JOBS ?? 2000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)

interface Result { addPerSecond: number, processPerSecond: number }

async function measure(label: string, make: (name: string) => { queue: Queue, worker: () => Worker }): Promise<Result> {
  const name = `bench-${randomBytes(4).toString('hex')}`
  const { queue, worker: startWorker } = make(name)
  await queue.waitUntilReady()
  const addStart = performance.now()
  for (let i = 0; i < JOBS; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, JOBS - i) }, (_, k) => ({ name: 'noop', data: { tenantId: 't', exportId: String(i + k) }, opts: { removeOnComplete: true } })))
  }
  const addSeconds = (performance.now() - addStart) / 1000
  let done = 0
  const processStart = performance.now()
  const worker = startWorker()
  await new Promise<void>((resolve) => {
    worker.on('completed', () => {
      done += 1
      if (done === JOBS) resolve()
    })
  })
  const processSeconds = (performance.now() - processStart) / 1000
  await worker.close()
  await queue.obliterate({ force: true }).catch(() => {})
  await queue.close()
  const result = { addPerSecond: JOBS / addSeconds, processPerSecond: JOBS / processSeconds }
  console.log(`  ${label.padEnd(10)} add ${result.addPerSecond.toFixed(0).padStart(6)} jobs/s   process ${result.processPerSecond.toFixed(0).padStart(6)} jobs/s (concurrency ${CONCURRENCY})`)
  return result
}

async function main() {
  const redisUrl = process.env.REDIS_URL
  if (!redisUrl) throw new Error('set REDIS_URL: the benchmark compares the PostgreSQL backend with Redis')
  console.log(`queue benchmark: ${JOBS} no-op jobs per backend`)
  const db = await createTestDatabase()
  try {
    const pg = withBackend(createPostgresBackend)
    const connection = { connectionString: db.url, max: 10, migrate: true }
    const postgresResult = await measure('postgres', name => ({
      queue: new pg.Queue(name, { connection }) as unknown as Queue,
      worker: () => new pg.Worker(name, async () => {}, { connection, concurrency: CONCURRENCY }) as unknown as Worker,
    }))
    const redisResult = await measure('redis', name => ({
      queue: new Queue(name, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix: 'bench' }),
      worker: () => new Worker(name, async () => {}, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix: 'bench', concurrency: CONCURRENCY }),
    }))
    console.log(`  ratio postgres / redis: add ${(postgresResult.addPerSecond / redisResult.addPerSecond).toFixed(2)}, process ${(postgresResult.processPerSecond / redisResult.processPerSecond).toFixed(2)}`)
  }
  finally {
    await db.drop()
  }
  process.exit(0)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
