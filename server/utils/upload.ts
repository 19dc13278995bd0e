import { getRequestHeader, setResponseHeaders, setResponseStatus, type H3Event } from 'h3'
import type { AcceptedMediaType } from '../contracts/define'
import { DomainError, ValidationError } from '../domain/errors'
import { readLimited } from './api'

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
export async function readUpload(event: H3Event, accepts: readonly AcceptedMediaType[], unsupportedCode: string, options: { field?: string, limit?: number, tooLarge?: () => Error } = {}): Promise<{ bytes: Buffer, name?: string }> {
  const field = options.field ?? 'file'
  const type = (getRequestHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!(accepts as readonly string[]).includes(type)) {
    throw new DomainError(415, unsupportedCode, `Send the file as ${accepts.join(', ')}${type ? `, not ${type}` : ''}`, { [field]: `must be sent as ${accepts.join(', ')}` })
  }
  const body = await readLimited(event, options.limit, options.tooLarge)
  if (type !== 'multipart/form-data') return { bytes: body }
  let form: FormData
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': getRequestHeader(event, 'content-type')! } }).formData()
  }
  catch {
    throw new ValidationError('The form data could not be read', { [field]: 'is not readable form data' })
  }
  const file = form.get(field)
  if (!file || typeof file === 'string') throw new ValidationError(`The form has no file in its \`${field}\` field`, { [field]: 'is required (a file)' })
  return { bytes: Buffer.from(await file.arrayBuffer()), name: file.name || undefined }
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
