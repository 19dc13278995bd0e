import { defineEventHandler, setResponseStatus } from 'h3'
import { checkReadiness } from '../core/readiness'

export default defineEventHandler(async (event) => {
  const result = await checkReadiness()
  if (result.status !== 'ready') setResponseStatus(event, 503)
  return result
})
