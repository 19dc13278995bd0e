import { z } from 'zod'
import { cronProblem, isTimeZone, SCHEDULE_REPORTS } from '../domain/reports/schedule-rules'
import { defineContract, Email, IdParams, Ok, listQuery, listResponse, Timestamp, Uuid } from './define'

const Cron = z.string().trim().min(1, 'is required').max(120).superRefine((expr, ctx) => {
  const problem = cronProblem(expr)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})
const TimeZone = z.string().trim().min(1, 'is required').max(64).refine(isTimeZone, 'is not an IANA time zone such as Europe/Berlin or UTC')
const Recipients = z.array(Email).min(1, 'needs at least one recipient').max(20, 'takes at most 20 recipients').transform(r => [...new Set(r)])
/** The report's own query parameters (e.g. `accountId`); omitted dates are filled in per run. */
const Params = z.record(z.string().regex(/^[A-Za-z]{1,40}$/, 'must be a parameter name'), z.string().max(200))

const ScheduleFields = {
  name: z.string().trim().min(1, 'is required').max(120),
  report: z.enum(SCHEDULE_REPORTS),
  params: Params,
  format: z.enum(['csv', 'xlsx', 'pdf']),
  cron: Cron,
  timezone: TimeZone,
  recipients: Recipients,
  enabled: z.boolean(),
}

export const CreateScheduleBody = z.object({
  ...ScheduleFields,
  params: Params.default({}),
  timezone: TimeZone.default('UTC'),
  enabled: z.boolean().default(true),
}).strict().meta({ id: 'CreateReportSchedule' })
export const UpdateScheduleBody = z.object({ ...ScheduleFields, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateReportSchedule' })

export const ScheduleResource = z.object({
  id: Uuid, name: z.string(), report: z.string(), params: z.record(z.string(), z.string()), format: z.enum(['csv', 'xlsx', 'pdf']),
  cron: z.string(), timezone: z.string(), recipients: z.array(z.string()), enabled: z.boolean(), createdBy: Uuid.nullable(),
  /** When the queue will fire it next; null when disabled (or not scheduled on the queue). */
  nextRunAt: Timestamp.nullable(),
  lastRunAt: Timestamp.nullable(), lastStatus: z.enum(['done', 'failed']).nullable(), lastError: z.string().nullable(), lastExportId: Uuid.nullable(),
  version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'ReportSchedule' })
export const ScheduleListQuery = listQuery(['name', 'createdAt'])

const WRITE_ERRORS = ['VALIDATION_FAILED', 'QUEUE_UNAVAILABLE']

export const reportScheduleContracts = {
  list: defineContract({ operationId: 'listReportSchedules', method: 'get', path: '/api/v1/report-schedules', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: 'Scheduled reports with their next and last runs', query: ScheduleListQuery, response: listResponse(ScheduleResource) }),
  create: defineContract({ operationId: 'createReportSchedule', method: 'post', path: '/api/v1/report-schedules', tag: 'Reports', audience: 'tenant', permission: 'reports:schedule', summary: 'Schedule a report: cron (5 fields, or 6 with seconds) in a time zone, e-mailed to 1–20 recipients', body: CreateScheduleBody, response: ScheduleResource, successStatus: 201, idempotent: true, errors: WRITE_ERRORS }),
  get: defineContract({ operationId: 'getReportSchedule', method: 'get', path: '/api/v1/report-schedules/{id}', tag: 'Reports', audience: 'tenant', permission: 'reports:read', summary: 'One scheduled report', params: IdParams, response: ScheduleResource }),
  update: defineContract({ operationId: 'updateReportSchedule', method: 'patch', path: '/api/v1/report-schedules/{id}', tag: 'Reports', audience: 'tenant', permission: 'reports:schedule', summary: 'Change, enable or disable a scheduled report', params: IdParams, body: UpdateScheduleBody, response: ScheduleResource, errors: [...WRITE_ERRORS, 'STALE_VERSION'] }),
  remove: defineContract({ operationId: 'deleteReportSchedule', method: 'delete', path: '/api/v1/report-schedules/{id}', tag: 'Reports', audience: 'tenant', permission: 'reports:schedule', summary: 'Delete a scheduled report (its past exports stay)', params: IdParams, response: Ok }),
}
