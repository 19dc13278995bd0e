/** Types of the back-office operations endpoints: queues, the mail outbox and system health. */

export type JobState = 'waiting' | 'active' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed'

/** `paused` is the queue's flag: a paused queue's jobs stay waiting (BullMQ has no paused state). */
export interface QueueSummary { name: string, paused: boolean, counts: Record<JobState, number> }

export interface QueueJob {
  id: string
  name: string
  queue: string
  state: string
  data: Record<string, string>
  attemptsMade: number
  attempts: number
  failedReason: string | null
  createdAt: string | null
  processedAt: string | null
  finishedAt: string | null
}

/** The outboxes the back-office shows (server/domain/outbox/names.ts). */
export type OutboxName = 'mail' | 'platform-mail' | 'exports'

/** One row of an outbox: a mail (tenant or platform) or an export, in one summary shape. */
export interface OutboxRow {
  id: string
  outbox: OutboxName
  tenantId: string | null
  tenantSlug: string | null
  /** A mail's kind (`invitation`), an export's format. */
  type: string
  /** A mail's subject, an export's report. */
  title: string
  recipients: string[]
  status: string
  attempts: number
  error: string | null
  createdAt: string
  finishedAt: string | null
}

export interface OutboxRowDetail extends OutboxRow {
  /** A mail's `text`, `html` and `attachments`; an export's `params`, `filename`, `size`. */
  details: {
    text?: string
    html?: string
    attachments?: { filename: string, contentType: string }[]
    params?: Record<string, string>
    filename?: string | null
    size?: number | null
  }
}

export interface WorkerBeat {
  id: string
  pid: number
  host: string
  mode: 'in-process' | 'process'
  backend: 'redis' | 'postgres'
  queues: string[]
  startedAt: string
  beatAt: string
  active: number
}

export interface SystemHealth {
  database: 'ok' | 'failed' | 'skipped'
  cache: 'ok' | 'failed' | 'skipped'
  queueBackend: 'redis' | 'postgres'
  workers: WorkerBeat[]
}

/** "12 s ago", "3 min ago": how long since a moment, for heartbeats and job times. */
export function secondsAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return '—'
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86400)} d ago`
}
