/**
 * What the report tests share: checking a status with the body in the message, a JSON answer of an
 * expected status, a report file downloaded as its bytes, and a PDF's text (`pdftotext`,
 * poppler-utils, which `.ci/run` installs).
 */
import { execFileSync } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { inject } from 'vitest'
import type { TestTenant } from './http'

import { status as expectStatus } from './answers'

type Json = Record<string, any>

export { expectStatus }

/** The JSON body of an answer that must have `expected` (201 unless said). */
export async function ok(res: Promise<{ status: number, text: string, body: any }>, expected = 201): Promise<Json> {
  const r = await res
  expectStatus(r, expected)
  return r.body
}

/** A file as the tenant's owner (or `token`) downloads it: status, headers and bytes. */
export function download(tenant: TestTenant, path: string, token = tenant.owner.token): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${inject('baseUrl')}${path}`, { headers: { host: tenant.host, authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A PDF's text, laid out as on the page. */
export const pdfText = (body: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: body }).toString('utf8')
