import { randomBytes } from 'node:crypto'
import { defineEventHandler, setResponseHeaders } from 'h3'
import { renderApiReference } from '../contracts/openapi/reference'
import { apiReferenceScript } from '../utils/api-reference-assets'

/**
 * Browsable API reference. Scripts only from this origin or with this response's nonce; the
 * renderer styles itself inline (style-src 'unsafe-inline') and reads the document from here.
 */
export default defineEventHandler((event) => {
  const nonce = randomBytes(16).toString('base64')
  setResponseHeaders(event, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': [
      'default-src \'none\'', `script-src 'self' 'nonce-${nonce}'`, 'style-src \'self\' \'unsafe-inline\'', 'connect-src \'self\'',
      'img-src \'self\' data:', 'font-src \'self\' data:', 'worker-src \'self\' blob:', 'base-uri \'none\'', 'form-action \'none\'', 'frame-ancestors \'none\'',
    ].join('; '),
  })
  return renderApiReference({ scriptPath: apiReferenceScript.path, nonce })
})
