import { getRequestHeader, setResponseHeaders, setResponseStatus, type H3Event } from 'h3'
import type { z } from 'zod'
import type { AcceptedMediaType, Contract } from '../contracts/define'
import { DomainError, ValidationError } from '../domain/errors'
import { isAcceptedUpload, parseInput, readLimited, rememberBody } from './api'

/**
 * An uploaded file's bytes from a route that `accepts` them: the body itself when its Content-Type
 * is one of `accepts`, or the form field `field` of a `multipart/form-data` body. What the bytes
 * are is decided from the bytes, by the domain (never from this header or a file name); a body of
 * any other type is 415 `unsupportedCode`. Read with the same byte limit as JSON bodies.
 */
export async function readUploadedFile(event: H3Event, accepts: readonly AcceptedMediaType[], unsupportedCode: string, field = 'file'): Promise<Buffer> {
  return (await readUpload(event, accepts, unsupportedCode, { field })).bytes
}

/**
 * readUploadedFile with the file's name (the multipart part's; none for a raw body) and a byte
 * limit of the route's own (`limit`, answered by `tooLarge()`), for uploads larger than JSON bodies.
 */
export async function readUpload(event: H3Event, accepts: readonly AcceptedMediaType[], unsupportedCode: string, options: { field?: string, limit?: number, tooLarge?: () => Error } = {}): Promise<{ bytes: Buffer, name?: string, fields: Record<string, string> }> {
  const field = options.field ?? 'file'
  const type = (getRequestHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!(accepts as readonly string[]).includes(type)) {
    throw new DomainError(415, unsupportedCode, `Send the file as ${accepts.join(', ')}${type ? `, not ${type}` : ''}`, { [field]: `must be sent as ${accepts.join(', ')}` })
  }
  const body = await readLimited(event, options.limit, options.tooLarge)
  if (type !== 'multipart/form-data') return { bytes: body, fields: {} }
  let form: FormData
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': getRequestHeader(event, 'content-type')! } }).formData()
  }
  catch {
    throw new ValidationError('The form data could not be read', { [field]: 'is not readable form data' })
  }
  const file = form.get(field)
  if (!file || typeof file === 'string') throw new ValidationError(`The form has no file in its \`${field}\` field`, { [field]: 'is required (a file)' })
  const fields: Record<string, string> = {}
  for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value
  return { bytes: Buffer.from(await file.arrayBuffer()), name: file.name || undefined, fields }
}

/**
 * The text of an uploaded file: UTF-8 (a byte-order mark dropped), else — as banks' CSV and OFX 1.x
 * files often are — Windows-1252, which decodes any byte.
 */
export function uploadedText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  }
  catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

/**
 * The body of a route that takes JSON with the file's text in `content` (`fileName` beside it), or
 * the same as `multipart/form-data`: the file in `file`, the other fields as text (each read as JSON
 * when it is one: `{"date":"Datum",…}`, `true`, `3`; else as the string). Validated with the
 * route's schema like a JSON body, and remembered as the request's body for its idempotency record.
 */
export async function readFileBody<S extends z.ZodType>(event: H3Event, contract: Contract & { body: S, accepts: readonly AcceptedMediaType[] }, json: z.output<S> | undefined, options: { limit: number, tooLarge: () => Error, fileNameField?: string }): Promise<z.output<S>> {
  if (json !== undefined && !isAcceptedUpload(event, contract)) return json
  const upload = await readUpload(event, contract.accepts, 'UNSUPPORTED_MEDIA_TYPE', options)
  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(upload.fields)) {
    try {
      fields[name] = JSON.parse(value) as unknown
    }
    catch {
      fields[name] = value
    }
  }
  const body = { ...fields, content: uploadedText(upload.bytes), ...(upload.name && options.fileNameField ? { [options.fileNameField]: upload.name } : {}) }
  rememberBody(event, body)
  return parseInput(contract.body, body, 'request body')
}

/**
 * A private, revalidated download: the browser may keep it but asks each time (`no-cache`), and
 * an `If-None-Match` with the same ETag is answered 304 without the body (true: answer nothing more).
 */
export function notModified(event: H3Event, etag: string): boolean {
  setResponseHeaders(event, { 'cache-control': 'private, no-cache', 'etag': etag })
  const ifNoneMatch = getRequestHeader(event, 'if-none-match')
  if (!ifNoneMatch || !ifNoneMatch.split(',').map(tag => tag.trim().replace(/^W\//, '')).includes(etag)) return false
  setResponseStatus(event, 304)
  return true
}
