/**
 * Assertions on API answers that the module tests share: the status (with the body in the
 * message), the stable error code and the field a refusal names, and a create that must be 201.
 */
import { expect } from 'vitest'
import type { Client } from './http'

type Json = Record<string, any>
interface Answer { status: number, text: string, body: Json }

export const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
export const codeOf = (res: { body: Json }) => res.body?.data?.code

/** `statusCode` with the stable `code`, and `field` among the refusal's fields when given. */
export function refused(res: Answer, statusCode: number, code: string, field?: string) {
  status(res, statusCode)
  expect(codeOf(res), res.text).toBe(code)
  if (field) expect(Object.keys(res.body.data.fields ?? {}), res.text).toContain(field)
}

/** POSTs `json` to `path`, expects 201 and answers the body. */
export async function make(c: Client, path: string, json: Json): Promise<Json> {
  const res = await c.post(path, { json })
  status(res, 201)
  return res.body
}

/** The tenant's accounts by code → id. */
export async function accountIds(c: Client): Promise<Record<string, string>> {
  return Object.fromEntries(((await c.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id]))
}

/** A journal entry and its lines as sorted `[code, baseDebit, baseCredit]` rows. */
export async function entryLegs(c: Client, id: string) {
  const e = (await c.get(`/api/v1/journal-entries/${id}`)).body
  return { entry: e, lines: (e.lines as Json[]).map(l => [l.accountCode, l.baseDebit, l.baseCredit]).sort() }
}
