import { defineEventHandler, setResponseHeaders } from 'h3'
import { fail } from '../../../utils/errors'
import { apiReferenceScript } from '../../../utils/api-reference-assets'

/**
 * The renderer script of /api/docs (server/api/docs.get.ts), immutable under its hashed name.
 * Lives outside server/api because it is not an API operation.
 */
export default defineEventHandler((event) => {
  if (event.path.split('?')[0] !== apiReferenceScript.path) fail(404, 'NOT_FOUND', 'No such API route')
  setResponseHeaders(event, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=31536000, immutable',
  })
  return apiReferenceScript.body
})
