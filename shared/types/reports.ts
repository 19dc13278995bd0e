import type { z } from 'zod'
import type { ExportResource } from '../../server/contracts/exports'
import type { DashboardSummaryResponse } from '../../server/contracts/dashboard'
import type { CreateScheduleBody, ScheduleResource } from '../../server/contracts/report-schedules'

/** A report file made in the background (`/api/v1/exports`). */
export type ReportExport = z.output<typeof ExportResource>
export type ExportStatus = ReportExport['status']

/** A report run on a cron expression in a time zone and e-mailed to its recipients. */
export type ReportSchedule = z.output<typeof ScheduleResource>
/** The body of `POST /api/v1/report-schedules`. */
export type ScheduleInput = z.input<typeof CreateScheduleBody>

/** The dashboard's figures (`GET /api/v1/dashboard`): cash as of a date and the last months' income. */
export type DashboardSummary = z.output<typeof DashboardSummaryResponse>
export type DashboardMonth = DashboardSummary['months'][number]
