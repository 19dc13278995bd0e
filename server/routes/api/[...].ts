import { defineEventHandler, setResponseHeader } from 'h3'
import { contracts } from '../../contracts'
import { fail } from '../../utils/errors'

/** Each documented path as a pattern (`{id}` matches one segment), with the methods it answers. */
let routes: { pattern: RegExp, methods: Set<string> }[] | undefined
function methodsFor(path: string): string[] {
  if (!routes) {
    const byPath = new Map<string, Set<string>>()
    for (const c of contracts) byPath.set(c.path, (byPath.get(c.path) ?? new Set()).add(c.method.toUpperCase()))
    routes = [...byPath].map(([template, methods]) => ({
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      methods,
    }))
  }
  const allowed = new Set<string>()
  for (const route of routes) if (route.pattern.test(path)) for (const m of route.methods) allowed.add(m)
  return [...allowed].sort()
}

/**
 * Any `/api` path (or method) that no route answers: a JSON 404 rather than the page renderer's
 * redirect to the sign-in page, or 405 with `Allow` when the path exists but not for this method.
 * Lives outside server/api because it is not an API operation.
 */
export default defineEventHandler((event) => {
  const allowed = methodsFor(event.path.split('?')[0]!)
  if (allowed.length) {
    setResponseHeader(event, 'Allow', allowed.join(', '))
    fail(405, 'METHOD_NOT_ALLOWED', `${event.method} is not allowed here; use ${allowed.join(', ')}`)
  }
  fail(404, 'NOT_FOUND', 'No such API route')
})
