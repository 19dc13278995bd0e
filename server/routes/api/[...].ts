import { defineEventHandler } from 'h3'
import { fail } from '../../utils/errors'

/**
 * Any `/api` path (or method) that no route answers: a JSON 404 rather than the page renderer's
 * redirect to the sign-in page. Lives outside server/api because it is not an API operation.
 */
export default defineEventHandler(() => fail(404, 'NOT_FOUND', 'No such API route'))
