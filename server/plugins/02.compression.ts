import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { getRequestHeader, getResponseHeader, setResponseHeader, type H3Event } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'

/**
 * Compresses what the server renders or answers — pages (HTML), JSON, CSV, SVG — when the client
 * accepts it: brotli at a fast level (4, about 1 ms for a 100 KB page), else gzip. Static files
 * (`/_nuxt/` and `public/`) are precompressed at build time (nuxt.config.ts
 * `nitro.compressPublicAssets`) and never reach this hook. Streams (file downloads, the event
 * stream) and small bodies go out as they are; an answer that already names an encoding is left
 * alone. Nuxt's error page is rendered by an internal request (`/__nuxt_error`, `x-nuxt-error`)
 * whose text the error handler copies into the real answer: it must stay plain. `Vary: Accept-Encoding` tells caches that the body depends on the request.
 */
const MIN_BYTES = 1024
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|problem\+json)|image\/svg\+xml)/i

function encodingFor(event: H3Event): 'br' | 'gzip' | null {
  const accepted = (getRequestHeader(event, 'accept-encoding') ?? '').toLowerCase()
  if (/\bbr\b/.test(accepted)) return 'br'
  if (/\bgzip\b/.test(accepted)) return 'gzip'
  return null
}

function isPlainJson(body: unknown): body is object {
  if (body === null || typeof body !== 'object') return false
  if (Array.isArray(body)) return true
  const proto = Object.getPrototypeOf(body)
  return proto === Object.prototype || proto === null
}

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    const res = event.node.res
    if (event.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304 || res.headersSent) return
    if (getResponseHeader(event, 'content-encoding')) return
    if (getRequestHeader(event, 'x-nuxt-error') || event.path.startsWith('/__nuxt_error')) return
    const encoding = encodingFor(event)
    if (!encoding) return

    let text: string
    const body = response.body
    if (typeof body === 'string') {
      text = body
    }
    else if (isPlainJson(body)) {
      // What h3 would send for an object, serialised here so it can be compressed.
      text = JSON.stringify(body)
      if (!getResponseHeader(event, 'content-type')) setResponseHeader(event, 'content-type', 'application/json')
    }
    else {
      return // a stream, a Buffer (files are compressed formats already), or nothing
    }
    const type = String(getResponseHeader(event, 'content-type') ?? 'text/html')
    if (!COMPRESSIBLE.test(type)) return
    if (Buffer.byteLength(text) < MIN_BYTES) {
      response.body = text
      return
    }
    response.body = encoding === 'br'
      ? brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
      : gzipSync(text, { level: 6 })
    setResponseHeader(event, 'content-encoding', encoding)
    const vary = String(getResponseHeader(event, 'vary') ?? '')
    if (!/accept-encoding/i.test(vary)) setResponseHeader(event, 'vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
    res.removeHeader('content-length')
  })
})
