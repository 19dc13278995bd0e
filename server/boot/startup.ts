/**
 * Start-up shared by `npm run dev` and the built server: choose the database (DATABASE_URL, or the
 * embedded PostgreSQL under DATA_DIR), migrate the embedded one, bootstrap the platform admin and,
 * on the embedded database's first start only, seed the demo tenant and print its credentials once.
 */
import { randomBytes } from 'node:crypto'
import { closeDatabase, connect, provideDatabase, setDatabase, type Database } from '../../db/client'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded'
import { runMigrations } from '../../db/migrate'
import { withPlatform } from '../../db/tenant'
import { bootstrapAdmin } from '../domain/platform/admin-entry'
import { createTenant, prepareTenantOwner } from '../domain/tenancy/tenants'
import { startWorkers, type RunningWorkers } from '../../workers/runtime'
import { closeCache } from '../core/cache'
import { useConfig } from '../core/config'
import { closeEvents } from '../core/events'
import { closeFiles } from '../core/files'
import { log } from '../core/log'
import { closeQueues } from '../core/queues'
import { provideStartup } from '../core/readiness'

let embedded: EmbeddedDatabase | undefined
let worker: RunningWorkers | undefined

async function boot(): Promise<Database> {
  const config = useConfig()
  let url = config.databaseUrl
  if (!url) {
    embedded = await startEmbeddedDatabase(config.dataDir, config.embeddedDatabasePassword!, m => log.warn(m))
    url = embedded.url
    await runMigrations(url)
    log.info('embedded PostgreSQL ready', { dataDir: config.dataDir })
  }
  return connect(url)
}

async function seed(): Promise<void> {
  const config = useConfig()
  if (config.admin) {
    const { created } = await bootstrapAdmin(config.admin.email, config.admin.password)
    if (created && config.admin.generated) {
      printOnce(`Back-office: http://admin.${config.baseDomain}:${config.port}/admin/login  ${config.admin.email} / ${config.admin.password}`)
    }
  }
  if (embedded?.firstStart) {
    const password = randomBytes(12).toString('base64url')
    const email = `owner@demo.${config.baseDomain}`
    const demo = {
      slug: 'demo', name: 'Demo Company', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard' as const,
      owner: { email, name: 'Demo Owner', password },
    }
    const owner = await prepareTenantOwner(demo)
    await withPlatform(p => createTenant(p, demo, owner, { type: 'system' }))
    printOnce(`Demo tenant: http://demo.${config.baseDomain}:${config.port}/login  ${email} / ${password}`)
  }
}

/** Credentials are shown on the console once, at the first start; they are never logged again. */
function printOnce(line: string) {
  process.stdout.write(`\n  ${line}\n\n`)
}

let started: Promise<Database> | undefined

export function startServices(): Promise<Database> {
  if (!started) {
    started = boot().then(async (db) => {
      setDatabase(db)
      await seed()
      // Without Redis (the embedded default) one process is the whole system: it runs the jobs too.
      if (useConfig().workerInProcess) worker = await startWorkers('in-process')
      return db
    })
    provideDatabase(started)
    provideStartup(started)
  }
  return started
}

export async function stopServices(): Promise<void> {
  await worker?.stop()
  worker = undefined
  await closeQueues()
  await closeEvents()
  await closeFiles()
  await closeDatabase()
  await closeCache()
  await embedded?.stop()
  embedded = undefined
  started = undefined
  provideStartup(undefined)
}
