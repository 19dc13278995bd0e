/*
 * Report exports (`/api/v1/exports`): a report file generated in the background, polled until it
 * is done, then downloaded from its `downloadUrl` (a plain link: the session cookie authorises it).
 */
import { REPORT_TITLES } from './useReports'

import type { ReportExport } from '#shared/types/reports'

export type { ExportStatus, ReportExport } from '#shared/types/reports'

/** The reports' titles, from the report catalog (useReports). */
export const EXPORT_TITLES: Record<string, string> = REPORT_TITLES

/** How often a page asks for news of exports still queued or running. */
export const EXPORT_POLL_MS = 1500

export const isExportPending = (e: Pick<ReportExport, 'status'>) => e.status === 'queued' || e.status === 'running'

/** Asks for an export of `report` with its parameters (empty ones left out); answers `{ id, status }`. */
export function requestReportExport(report: string, format: ReportExport['format'], params: Record<string, string | null | undefined>) {
  const given = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => !!e[1]))
  return useApi()<{ id: string, status: ExportStatus }>('/api/v1/exports', { method: 'POST', body: { report, format, params: given } })
}

/** `1.2 MB`, `35 KB`. */
export function formatFileSize(bytes: number | undefined): string {
  if (bytes === undefined) return ''
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
