import { createError, H3Error, setResponseHeader, type H3Event } from 'h3'
import { DomainError, RateLimitError, ruleFromDatabase } from '../domain/errors'
import { log, pathForLog, withoutSqlParameters } from '../core/log'

/**
 * Turns anything thrown while handling a request into an h3 error with the stable shape
 * `{statusCode, statusMessage, data: {code, fields?}}`. Unknown errors become a bare 500: the
 * details go to the log with the request id, never to the client.
 */
export function toHttpError(event: H3Event, err: unknown): H3Error {
  if (err instanceof DomainError) {
    if (err instanceof RateLimitError) setResponseHeader(event, 'Retry-After', err.retryAfterSeconds)
    return createError({ statusCode: err.status, statusMessage: err.message, data: { code: err.code, ...(err.fields ? { fields: err.fields } : {}) } })
  }
  if (err instanceof H3Error && err.statusCode < 500) {
    const data = (err.data ?? {}) as { code?: string }
    return createError({ statusCode: err.statusCode, statusMessage: err.statusMessage ?? 'Request refused', data: { ...data, code: data.code ?? codeForStatus(err.statusCode) } })
  }
  const rule = ruleFromDatabase(err)
  if (rule) return toHttpError(event, rule)
  const safe = withoutSqlParameters(err)
  log.error('unhandled error', { requestId: event.context.requestId, method: event.method, path: pathForLog(event.path), error: `${safe.name}: ${safe.message}`, stack: safe.stack })
  return createError({ statusCode: 500, statusMessage: 'Internal error', data: { code: 'INTERNAL' } })
}

function codeForStatus(status: number): string {
  return ({ 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE', 429: 'TOO_MANY_REQUESTS' } as Record<number, string>)[status] ?? 'ERROR'
}

/** Throws the standard error shape directly from middleware and handlers. */
export function fail(statusCode: number, code: string, statusMessage: string, fields?: Record<string, string>): never {
  throw createError({ statusCode, statusMessage, data: { code, ...(fields ? { fields } : {}) } })
}
