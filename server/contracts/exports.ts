import { z } from 'zod'
import { EXPORTS_PERMISSION, FILE_FORMATS, REPORT_NAMES, REPORTS } from '../domain/reports/catalog'
import type { Permission } from '../domain/identity/rbac'
import { defineContract, FILE_MEDIA_TYPES, IdParams, listResponse, Timestamp, Uuid, type InputPermission } from './define'

export const ExportRequest = z.object({
  report: z.enum(REPORT_NAMES),
  format: z.enum(FILE_FORMATS),
  /** The report's query parameters (without format and paging), checked per report (its catalog entry). */
  params: z.record(z.string(), z.string()).default({}),
}).strict().meta({ id: 'ExportRequest' })

export const ExportListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})

export const ExportResource = z.object({
  id: Uuid,
  report: z.enum(REPORT_NAMES),
  format: z.enum(FILE_FORMATS),
  params: z.record(z.string(), z.string()),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** 0–100, from the lines written so far. */
  progress: z.number().int(),
  error: z.string().optional(),
  downloadUrl: z.string().optional(),
  filename: z.string().optional(),
  size: z.number().int().optional(),
  createdAt: Timestamp,
  finishedAt: Timestamp.optional(),
}).meta({ id: 'Export' })

/**
 * Exporting a report whose files need another permission than the exports' own (EXPORTS_PERMISSION,
 * `reports:export`; its catalog entry's `file`) needs that one too; every report's is
 * `reports:export` today, so this is empty.
 */
function reportFilePermissions(exportPermission: Permission): InputPermission[] {
  const needed = [...new Set(REPORTS.map(r => r.permissions.file))].filter(p => p !== exportPermission)
  return needed.map((permission) => {
    const names: string[] = REPORTS.filter(r => r.permissions.file === permission).map(r => r.name)
    return {
      permission,
      when: `for the report ${names.map(n => `\`${n}\``).join(', ')}`,
      applies: ({ body }) => names.includes((body as { report: string }).report),
    }
  })
}

const ExportAccepted = z.object({ id: Uuid, status: z.enum(['queued', 'running', 'done', 'failed']) }).meta({ id: 'ExportAccepted' })

export const exportContracts = {
  create: defineContract({
    operationId: 'createExport',
    method: 'post', path: '/api/v1/exports', tag: 'Reports', audience: 'tenant', permission: EXPORTS_PERMISSION, alsoRequires: reportFilePermissions(EXPORTS_PERMISSION),
    summary: 'Queue a report file (any size, streamed); poll the export, then download it. A notification says when it is ready.',
    body: ExportRequest, response: ExportAccepted, successStatus: 202, idempotent: true, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'QUEUE_UNAVAILABLE'],
  }),
  list: defineContract({
    operationId: 'listExports',
    method: 'get', path: '/api/v1/exports', tag: 'Reports', audience: 'tenant', permission: EXPORTS_PERMISSION,
    summary: 'Your exports, newest first', query: ExportListQuery, response: listResponse(ExportResource),
  }),
  get: defineContract({
    operationId: 'getExport',
    method: 'get', path: '/api/v1/exports/{id}', tag: 'Reports', audience: 'tenant', permission: EXPORTS_PERMISSION,
    summary: 'One export: status and progress, and the download link once done', params: IdParams, response: ExportResource,
  }),
  download: defineContract({
    operationId: 'downloadExport',
    method: 'get', path: '/api/v1/exports/{id}/download', tag: 'Reports', audience: 'tenant', permission: EXPORTS_PERMISSION,
    summary: 'The finished export\'s file (streamed, as an attachment)', params: IdParams, produces: Object.values(FILE_MEDIA_TYPES), errors: ['EXPORT_NOT_READY'],
  }),
}
