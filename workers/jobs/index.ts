/** Every job handler the worker runs: one module per queue (workers/jobs/<queue>.ts). */
import type { QueueName } from '../../server/core/queues'
import type { JobHandler } from './define'
import exportsJob from './exports'
import mailJob from './mail'
import maintenanceJob from './maintenance'
import scheduledReportsJob from './scheduled-reports'

export const jobHandlers = [exportsJob, scheduledReportsJob, mailJob, maintenanceJob] as JobHandler<QueueName>[]
