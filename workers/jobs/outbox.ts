/**
 * The jobs of every outbox kind (server/domain/outbox): one handler per queue the kinds use. A job
 * carries only the row's ids; the kind whose `refOf` claims the job processes it (idempotently:
 * a finished row is left alone) and, after the last attempt, marks the row failed.
 */
import type { QueueName } from '../../server/core/queues'
import type { OutboxKind, OutboxRef } from '../../server/domain/outbox/define'
import { OUTBOX_KINDS } from '../../server/domain/outbox/kinds'
import { defineJobHandler, type JobHandler } from './define'

function kindOf(queue: QueueName, data: never): { kind: OutboxKind, ref: OutboxRef } {
  for (const kind of OUTBOX_KINDS) {
    const ref = kind.queue === queue ? kind.refOf(data) : null
    if (ref) return { kind, ref }
  }
  throw new Error(`no outbox kind takes this ${queue} job`)
}

function outboxJobHandler(queue: QueueName): JobHandler<QueueName> {
  return defineJobHandler({
    queue,
    process: (job) => {
      const { kind, ref } = kindOf(queue, job.data as never)
      return kind.process(ref, { progress: pct => job.updateProgress(pct) })
    },
    onFinalFailure: (data, error) => {
      const { kind, ref } = kindOf(queue, data as never)
      return kind.fail(ref, error)
    },
  })
}

export const outboxJobHandlers = [...new Set(OUTBOX_KINDS.map(k => k.queue))].map(outboxJobHandler)
