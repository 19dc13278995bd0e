/** Every job handler the worker runs: the outbox kinds' queues, scheduled reports, the receivables sweep and upkeep. */
import type { QueueName } from '../../server/core/queues'
import type { JobHandler } from './define'
import maintenanceJob from './maintenance'
import { outboxJobHandlers } from './outbox'
import receivablesJob from './receivables'
import scheduledReportsJob from './scheduled-reports'

export const jobHandlers = [...outboxJobHandlers, scheduledReportsJob, receivablesJob, maintenanceJob] as JobHandler<QueueName>[]
