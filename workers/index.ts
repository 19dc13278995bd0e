/**
 * The worker process (`npm run worker`): the same configuration module and database access as the
 * web server, run as its own process in production. It validates the configuration, connects to
 * DATABASE_URL and runs until SIGTERM/SIGINT, closing its connections cleanly.
 *
 * Job processors (BullMQ queues for exports, scheduled reports, e-mail) are registered here by the
 * background-work issue; until then this process only holds the wiring they will use.
 */
import { closeDatabase, connect, setDatabase } from '../db/client'
import { ConfigError, useConfig } from '../server/core/config'
import { log } from '../server/core/log'

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
  log.info('worker ready')

  const stop = async (signal: string) => {
    log.info('worker stopping', { signal })
    await closeDatabase()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
  setInterval(() => {}, 1 << 30)
}

void main()
