import type { MaybeRefOrGetter } from 'vue'
import type { PagedList } from '~/composables/useApi'
import type { ReportSchedule, ScheduleInput } from '#shared/types/reports'

/*
 * Scheduled reports (`/api/v1/report-schedules`): a report run on a cron expression in a time
 * zone and e-mailed as an attachment to its recipients.
 */

export type { ReportSchedule, ScheduleInput } from '#shared/types/reports'

/** One page of the tenant's schedules, refetched whenever the query changes. */
export function useReportScheduleList(query: MaybeRefOrGetter<{ page: number, pageSize: number, sort?: string }>) {
  return useApiFetch<PagedList<ReportSchedule>>('/api/v1/report-schedules', { query: computed(() => toValue(query)), lazy: true })
}

/** Schedule changes; each throws the API's error for the caller to show. */
export function useReportScheduleActions() {
  const api = useApi()
  return {
    create: (body: ScheduleInput) => api<ReportSchedule>('/api/v1/report-schedules', { method: 'POST', body }),
    update: (schedule: Pick<ReportSchedule, 'id' | 'version'>, body: Partial<ScheduleInput>) =>
      api<ReportSchedule>(`/api/v1/report-schedules/${schedule.id}`, { method: 'PATCH', body: { ...body, version: schedule.version } }),
    remove: (schedule: Pick<ReportSchedule, 'id'>) => api(`/api/v1/report-schedules/${schedule.id}`, { method: 'DELETE' }),
  }
}
