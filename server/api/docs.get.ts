import { defineEventHandler, setResponseHeaders } from 'h3'
import { renderApiReference } from '../domain/api-reference'

/** Browsable API reference, rendered on the server from the OpenAPI document (no scripts). */
export default defineEventHandler((event) => {
  setResponseHeaders(event, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': 'default-src \'none\'; style-src \'unsafe-inline\'; frame-ancestors \'none\'',
  })
  return renderApiReference()
})
