/**
 * Keeps the OpenAPI document honest about statuses: every answer the API tests get is recorded
 * (method, path, status, and whether an error body has the documented shape), and at the end of the
 * api project's run (tests/support/global-setup.ts) any status the document does not list for that
 * operation — or an error body that does not match its `Error` schema — fails the run.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ErrorBody } from '../../server/contracts/define'
import { openApiDocument } from '../../server/contracts/openapi/document'

interface Seen { method: string, path: string, status: number, errorShape: boolean }

const StrictErrorBody = ErrorBody.strict()

/** Appends one answer to this worker's log in `dir`. */
export function recordStatus(dir: string, method: string, path: string, status: number, body: unknown): void {
  const seen: Seen = { method: method.toLowerCase(), path: path.split('?')[0]!, status, errorShape: status < 400 || StrictErrorBody.safeParse(body).success }
  appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(seen)}\n`)
}

interface Operation { operationId: string, responses: Record<string, unknown> }

/** Each documented path as a pattern; literal paths first, so `/signup` is not taken for `/{token}`. */
function templates(paths: Record<string, Record<string, Operation>>) {
  return Object.keys(paths)
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
    .map(template => ({ template, pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
}

/** What the recorded answers in `dir` show that the document does not say, one line each (empty: all documented). */
export function undocumentedAnswers(dir: string): string[] {
  const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> }
  const known = templates(doc.paths)
  const problems = new Set<string>()
  for (const file of readdirSync(dir).filter(f => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
      const seen = JSON.parse(line) as Seen
      const template = known.find(t => t.pattern.test(seen.path))?.template
      const op = template ? doc.paths[template]![seen.method] : undefined
      // Paths and methods the document has no operation for (unknown routes, /api/docs) are the catch-all's 404/405.
      if (!op) continue
      if (!(String(seen.status) in op.responses)) problems.add(`${seen.method.toUpperCase()} ${template} (${op.operationId}) answered ${seen.status}, which the document does not list`)
      if (!seen.errorShape) problems.add(`${seen.method.toUpperCase()} ${template} (${op.operationId}) answered ${seen.status} with a body that is not the documented Error`)
    }
  }
  return [...problems].sort()
}
