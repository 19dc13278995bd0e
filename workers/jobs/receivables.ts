/**
 * The receivables sweep (server/domain/sales/receivables-jobs.ts): recurring invoices and dunning
 * reminders for every tenant with work. Fired hourly by the `receivables-hourly` job scheduler and
 * once at each worker start (runtime.ts); one at a time per worker. Idempotent: each occurrence and
 * each reminder step is keyed in the database, so overlapping or repeated sweeps do nothing twice.
 */
import { sweepReceivables } from '../../server/domain/sales/receivables-jobs'
import { defineJobHandler } from './define'

export default defineJobHandler({
  queue: 'receivables',
  concurrency: 1,
  process: () => sweepReceivables(),
})
