import { randomBytes } from 'node:crypto'
import { setResponseHeader } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'

/**
 * Content-Security-Policy for server-rendered pages: scripts only from this origin or carrying
 * this response's nonce (Nuxt's inline payload scripts get it here). Vuetify writes its theme as an
 * inline style, hence 'unsafe-inline' for styles only. Dev mode (Vite HMR) is left without CSP.
 */
export default defineNitroPlugin((nitroApp) => {
  if (import.meta.dev) return
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const nonce = randomBytes(16).toString('base64')
    const addNonce = (chunks: string[]) => chunks.map(c => c.replace(/<script\b/g, `<script nonce="${nonce}"`))
    html.head = addNonce(html.head)
    html.bodyPrepend = addNonce(html.bodyPrepend)
    html.body = addNonce(html.body)
    html.bodyAppend = addNonce(html.bodyAppend)
    setResponseHeader(event, 'Content-Security-Policy', [
      'default-src \'self\'', `script-src 'self' 'nonce-${nonce}'`, 'style-src \'self\' \'unsafe-inline\'',
      'img-src \'self\' data:', 'font-src \'self\' data:', 'connect-src \'self\'', 'object-src \'none\'',
      'base-uri \'self\'', 'form-action \'self\'', 'frame-ancestors \'none\'',
    ].join('; '))
  })
})
