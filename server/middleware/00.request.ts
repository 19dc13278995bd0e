import { randomUUID } from 'node:crypto'
import { defineEventHandler, getRequestHeader, getRequestProtocol, setResponseHeaders } from 'h3'
import { useConfig } from '../core/config'
import { clientIp } from '../utils/client-ip'
import { MAX_BODY_BYTES, uploadLimit } from '../utils/api'
import { fail } from '../utils/errors'

/**
 * Request basics for every route: request id, trusted host and client IP (forwarded headers only
 * with TRUST_PROXY), security headers, no caching of API answers, and the early refusal of a
 * declared Content-Length over the body limit (chunked bodies are counted as they are read, in
 * server/utils/api.ts).
 */
export default defineEventHandler((event) => {
  const { trustProxy, trustProxyHops } = useConfig()
  const incoming = getRequestHeader(event, 'x-request-id')
  event.context.requestId = incoming && /^[\w.-]{8,64}$/.test(incoming) ? incoming : randomUUID()

  const forwardedHost = trustProxy ? getRequestHeader(event, 'x-forwarded-host')?.split(',')[0]?.trim() : undefined
  event.context.host = (forwardedHost || getRequestHeader(event, 'host') || '').toLowerCase()
  event.context.clientIp = clientIp(getRequestHeader(event, 'x-forwarded-for'), event.node.req.socket.remoteAddress, trustProxyHops)

  const isApi = event.path.startsWith('/api/')
  setResponseHeaders(event, {
    'X-Request-Id': event.context.requestId,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(getRequestProtocol(event, { xForwardedProto: trustProxy }) === 'https' ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
    ...(isApi ? { 'Cache-Control': 'private, no-store', 'Content-Security-Policy': 'default-src \'none\'; frame-ancestors \'none\'' } : {}),
  })

  const length = Number(getRequestHeader(event, 'content-length') ?? 0)
  const upload = uploadLimit(event)
  if (upload && length > upload.bytes) fail(413, upload.code, `Request body is larger than ${upload.bytes} bytes`)
  if (!upload && length > MAX_BODY_BYTES) fail(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${MAX_BODY_BYTES} bytes`)
})
