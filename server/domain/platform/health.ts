/** The back-office health page: the readiness checks plus which workers are alive. */
import { liveWorkers, type WorkerBeat } from '../../core/heartbeat'
import { queueBackend, type BackendKind } from '../../core/queues'
import { checkReadiness } from '../../core/readiness'

type Check = 'ok' | 'failed' | 'skipped'

export interface SystemHealth {
  database: Check
  /** `skipped` when there is no Redis: the cache lives in process memory. */
  cache: Check
  queueBackend: BackendKind
  /** Workers whose heartbeat is recent (server/core/heartbeat.ts), newest beat first. */
  workers: WorkerBeat[]
}

export async function systemHealth(): Promise<SystemHealth> {
  const [{ checks }, workers] = await Promise.all([checkReadiness(), liveWorkers()])
  return { database: checks.database as Check, cache: checks.redis as Check, queueBackend: queueBackend(), workers }
}
