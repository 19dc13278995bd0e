export type { JobState, OutboxName, OutboxRow, OutboxRowDetail, QueueJob, QueueSummary, SystemHealth } from '#shared/types/operations'

/** "12 s ago", "3 min ago": how long since a moment, for heartbeats and job times. */
export function secondsAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return '—'
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86400)} d ago`
}
