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

export type MailStatus = 'pending' | 'sent' | 'failed' | 'held'

export interface OutboxMail {
  id: string
  tenantId: string
  tenantSlug: string | null
  kind: string
  to: string[]
  subject: string
  status: MailStatus
  attempts: number
  error: string | null
  createdAt: string
  sentAt: string | null
}

export interface OutboxMailDetail extends OutboxMail {
  text: string
  html: string
  attachments: { filename: string, contentType: string }[]
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
