/**
 * Bill attachments (server/domain/purchases/bills.ts): the limits the server enforces and a page
 * can check before uploading. `bill_attachments_file_check` (migration 0025) holds the same size.
 */
/** The largest attachment: 10 MiB. */
export const BILL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
/** Room above it for a multipart body's boundary and part headers (the file's own size is checked exactly). */
export const MULTIPART_SLACK_BYTES = 64 * 1024
export const BILL_ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const
export type BillAttachmentType = typeof BILL_ATTACHMENT_TYPES[number]
