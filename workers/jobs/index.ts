/** Every job handler the worker runs: the outbox kinds' queues, scheduled reports and upkeep. */
import type { QueueName } from '../../server/core/queues'
import type { JobHandler } from './define'
import maintenanceJob from './maintenance'
import { outboxJobHandlers } from './outbox'
import scheduledReportsJob from './scheduled-reports'

export const jobHandlers = [...outboxJobHandlers, scheduledReportsJob, maintenanceJob] as JobHandler<QueueName>[]
