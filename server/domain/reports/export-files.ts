/**
 * Where an export's file lives in file storage (server/core/files.ts) and how it is read back:
 * the download route and the mail job's attachments stream the same stored parts.
 */
import { inArray } from 'drizzle-orm'
import { reportExports, type ExportAttachmentRef } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { readParts } from '../../core/files'
import type { OutgoingAttachment } from '../../core/mailer'
import { ConflictError } from '../errors'

export type ExportRow = typeof reportExports.$inferSelect

/** The finished file's parts. */
export const finalPrefix = (tenantId: string, exportId: string) => `exports:${tenantId}:${exportId}`
/** One attempt's file while it is written (`token` left out: every attempt's). */
export const tempPrefix = (tenantId: string, exportId: string, token?: string) => `exports-tmp:${tenantId}:${exportId}${token ? `:${token}` : ''}`

/** The finished file of an export as a stream, with what the response headers need; 409 EXPORT_NOT_READY before it is done. */
export function openExportFile(row: ExportRow) {
  if (row.status !== 'done' || !row.parts || !row.filename) {
    throw new ConflictError(row.status === 'failed' ? 'The export failed; request it again' : 'The export is not finished yet', 'EXPORT_NOT_READY')
  }
  return { filename: row.filename, contentType: row.contentType ?? 'application/octet-stream', size: row.size ?? 0, stream: readParts(finalPrefix(row.tenantId, row.id), row.parts) }
}

/**
 * Opens the stored export files a mail attaches (streams, read while the message is sent). A
 * missing or unfinished export is an error worth retrying, never a mail without its file.
 */
export async function openExportAttachments(tenantId: string, refs: ExportAttachmentRef[]): Promise<OutgoingAttachment[]> {
  if (!refs.length) return []
  const rows = await withTenant(tenantId, tx => tx.select().from(reportExports).where(inArray(reportExports.id, refs.map(r => r.exportId))))
  return refs.map((ref) => {
    const row = rows.find(f => f.id === ref.exportId)
    if (!row) throw new Error(`attachment export ${ref.exportId} is missing`)
    return { filename: ref.filename, contentType: ref.contentType, content: openExportFile(row).stream }
  })
}
