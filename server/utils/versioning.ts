import { getRequestHeader, setResponseHeader, type H3Event } from 'h3'
import { ValidationError } from '../domain/errors'

/**
 * Optimistic concurrency for PATCH (SPEC §5): the version a change is conditional on comes from the
 * body's `version` or, failing that, from `If-Match` carrying the ETag the resource was read with
 * (`"3"`; `*` means any version). A malformed If-Match is 400; a stale version is the domain's 409.
 */
export function expectedVersion(event: H3Event, bodyVersion: number | undefined): number | undefined {
  if (bodyVersion !== undefined) return bodyVersion
  const header = getRequestHeader(event, 'if-match')?.trim()
  if (!header || header === '*') return undefined
  const match = /^"(\d{1,9})"$/.exec(header)
  if (!match) throw new ValidationError('If-Match must be the ETag the resource was read with, e.g. "3"', { 'If-Match': 'must be an ETag such as "3"' }, 'INVALID_IF_MATCH')
  return Number(match[1])
}

/** The resource's version as its ETag, for clients that send it back in If-Match. */
export function setVersionTag(event: H3Event, version: number): void {
  setResponseHeader(event, 'ETag', `"${version}"`)
}
