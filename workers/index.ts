/**
 * The worker process (`npm run worker`, `node .output/worker/index.mjs`… see README): the same
 * configuration module, database access and queues as the web server, run as its own process in
 * production. SIGTERM/SIGINT stop taking jobs, let running ones finish, then close connections.
 *
 * On the embedded default (no DATABASE_URL) the web process hosts the worker instead.
 */
import { closeDatabase, connect, setDatabase } from '../db/client'
import { closeCache } from '../server/core/cache'
import { ConfigError, useConfig } from '../server/core/config'
import { closeEvents } from '../server/core/events'
import { closeFiles } from '../server/core/files'
import { errorText, log } from '../server/core/log'
import { closeQueues } from '../server/core/queues'
import { startWorkers } from './runtime'

async function main() {
  let config
  try {
    config = useConfig()
  }
  catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`paksa worker: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  if (!config.databaseUrl) {
    process.stderr.write('paksa worker: DATABASE_URL is not set (on the embedded default the web process hosts the worker)\n')
    process.exit(1)
  }
  const database = connect(config.databaseUrl, { max: 5 })
  await database.sql`select 1`
  setDatabase(database)
  // Signals are handled from the start: a SIGTERM while the workers are still starting waits for
  // them, then stops them gracefully like any other.
  const starting = startWorkers('process')
  const stop = async (signal: string) => {
    log.info('worker stopping', { signal })
    await (await starting).stop()
    await closeQueues()
    await closeEvents()
    await closeFiles()
    await closeCache()
    await closeDatabase()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
  await starting
}

main().catch((err: unknown) => {
  log.error('worker start-up failed', { error: errorText(err) })
  process.exit(1)
})
