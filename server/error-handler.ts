/**
 * Error answers for `/api` requests, whatever threw (a route, a middleware such as tenant resolution
 * or auth, or no route at all): the stable JSON shape `{statusCode, statusMessage, data: {code,
 * fields?}}` with `Cache-Control: private, no-store`. Nitro's default handler would mark 404s
 * `no-cache` and drop `data` from unexpected errors. Anything unexpected is a bare 500 whose
 * details go to the log with the request id (toHttpError), never to the client.
 * Other requests fall through to Nuxt's error page. Registered first in nuxt.config.ts.
 */
import { H3Error, send, setResponseHeaders, setResponseStatus } from 'h3'
import { defineNitroErrorHandler } from 'nitropack/runtime'
import { toHttpError } from './utils/errors'

export default defineNitroErrorHandler((error, event) => {
  if (!event.path.startsWith('/api/')) return
  // h3 wraps anything that is not an h3 error (a domain error or a crash in middleware) as its cause.
  const source = error.unhandled && error.cause ? error.cause : error
  const http = source instanceof H3Error && (source.data as { code?: string } | undefined)?.code ? source : toHttpError(event, source)
  setResponseStatus(event, http.statusCode, http.statusMessage)
  setResponseHeaders(event, { 'Content-Type': 'application/json', 'Cache-Control': 'private, no-store' })
  return send(event, JSON.stringify({ statusCode: http.statusCode, statusMessage: http.statusMessage, message: http.statusMessage, data: http.data }))
})
