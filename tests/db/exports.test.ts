/**
 * The export runner's guarantees, called directly against the test database and file storage:
 * duplicated runs of one export (a retried job, two workers after a lost lock) finish exactly one
 * file; a finished export is left untouched; a scheduled run's export is created once.
 */
import { execFileSync } from 'node:child_process'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { withTenant } from '../../db/tenant'
import { closeEvents } from '../../server/core/events'
import { closeFiles, useFileStorage } from '../../server/core/files'
import type { ExportRow } from '../../server/domain/reports/export-files'
import { createExport } from '../../server/domain/reports/export-requests'
import { failExport, runExport } from '../../server/domain/reports/export-runner'
import { createTenant, type TestTenant } from '../support/api'
import { seedAccountLines } from './gl-seed'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
const LINES = 12_000

let t: TestTenant
let accountId: string

beforeAll(async () => {
  // The same configuration as the shared server, so both use one file store and database.
  for (const [key, value] of Object.entries(inject('serverEnv'))) if (value !== undefined) process.env[key] = value
  setDatabase(connect(inject('databaseUrl'), { max: 6 }))
  t = await createTenant({ chartOfAccounts: 'standard' })
  ;({ accountId } = await seedAccountLines(sql, t.id, { accountCode: '1000', counterCode: '4100', lines: LINES, perEntry: 5 }))
})

afterAll(async () => {
  await closeEvents()
  await closeFiles()
  await closeDatabase()
  await sql.end()
})

const newExport = (format: 'csv' | 'xlsx' = 'csv') => withTenant(t.id, tx => createExport(tx, t.id, {
  report: 'general-ledger', format, params: { accountId, from: '2025-01-01', to: '2025-12-31' }, requestedBy: t.owner.id,
}))

const keys = (prefix: string) => useFileStorage().getKeys(prefix)

describe('runExport', () => {
  it('finishes exactly one file when two runs of the same export race', async () => {
    const created = await newExport()
    const runs = await Promise.allSettled([runExport(t.id, created.id), runExport(t.id, created.id)])
    expect(runs.map(r => r.status)).toEqual(['fulfilled', 'fulfilled'])
    const [row] = await sql<ExportRow[]>`select status, parts, size, row_count as "rowCount", attempts from report_exports where tenant_id = ${t.id} and id = ${created.id}`
    expect(row).toMatchObject({ status: 'done', rowCount: LINES })
    expect(row!.attempts).toBeGreaterThanOrEqual(1)
    expect(await keys(`exports:${t.id}:${created.id}`)).toHaveLength(row!.parts!)
    expect(await keys(`exports-tmp:${t.id}:${created.id}`)).toEqual([])
    const stored = await Promise.all((await keys(`exports:${t.id}:${created.id}`)).sort().map(k => useFileStorage().getItemRaw<Buffer>(k)))
    const text = Buffer.concat(stored.map(b => Buffer.from(b!))).toString('utf8')
    expect(text.length).toBe(Number(row!.size))
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1 + 1 + LINES + 1)
    const notes = await sql`select type from notifications where tenant_id = ${t.id} and dedupe_key = ${`export:${created.id}`}`
    expect(notes).toEqual([{ type: 'export.completed' }])
  })

  it('leaves a finished export untouched when it runs again (a retried job)', async () => {
    const created = await newExport()
    const first = await runExport(t.id, created.id)
    const again = await runExport(t.id, created.id)
    expect(again).toEqual(first)
    await failExport(t.id, created.id, 'too late')
    const [row] = await sql`select status, error from report_exports where tenant_id = ${t.id} and id = ${created.id}`
    expect(row).toEqual({ status: 'done', error: null })
  })

  it('takes over an export whose previous attempt died mid-way, removing its leftovers', async () => {
    const created = await newExport()
    // What a killed worker leaves: the row running under its token, parts under its temporary
    // prefix, and (killed while copying) stray parts under the final prefix.
    await sql`update report_exports set status = 'running', attempt_token = gen_random_uuid(), attempts = 1 where tenant_id = ${t.id} and id = ${created.id}`
    await useFileStorage().setItemRaw(`exports-tmp:${t.id}:${created.id}:00000000-0000-0000-0000-000000000000:000001`, Buffer.from('stale'))
    await useFileStorage().setItemRaw(`exports:${t.id}:${created.id}:000009`, Buffer.from('stale'))
    const row = await runExport(t.id, created.id)
    expect(row).toMatchObject({ status: 'done', attempts: 2, parts: 1 })
    expect(await keys(`exports:${t.id}:${created.id}`)).toEqual([`exports:${t.id}:${created.id}:000001`])
    expect(await keys(`exports-tmp:${t.id}:${created.id}`)).toEqual([])
  })

  it('streams a PDF nobody asked for (a scheduled run) on the PDF base: prepared on, by no one, every page numbered of the total', async () => {
    const created = await withTenant(t.id, tx => createExport(tx, t.id, { report: 'general-ledger', format: 'pdf', params: { accountId, from: '2025-01-01', to: '2025-12-31' }, requestedBy: null }))
    const row = await runExport(t.id, created.id)
    expect(row).toMatchObject({ status: 'done', rowCount: LINES, contentType: 'application/pdf' })
    const stored = await Promise.all((await keys(`exports:${t.id}:${created.id}`)).sort().map(k => useFileStorage().getItemRaw<Buffer>(k)))
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.concat(stored.map(b => Buffer.from(b!))), maxBuffer: 64 * 1024 * 1024 }).toString('utf8')
    expect(text).toContain('1 Jan 2025 to 31 Dec 2025 (USD); balances on the debit side')
    expect(text).not.toContain('Prepared by')
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1])
    expect(pages).toBeGreaterThan(100)
    expect(text.match(/Prepared on \d{1,2} \w{3} \d{4} \d{2}:\d{2} \(UTC\)/g)).toHaveLength(pages)
    expect(text).toContain(`Page ${pages} of ${pages}`)
  })

  it('fails at once, with the reason, an export whose account is gone from its tenant', async () => {
    const created = await withTenant(t.id, tx => createExport(tx, t.id, { report: 'general-ledger', format: 'csv', params: { accountId: crypto.randomUUID() }, requestedBy: t.owner.id }))
    await expect(runExport(t.id, created.id)).rejects.toThrow('Account not found')
    const [row] = await sql`select status, error from report_exports where tenant_id = ${t.id} and id = ${created.id}`
    expect(row).toEqual({ status: 'failed', error: 'Account not found' })
    const notes = await sql`select type, title from notifications where tenant_id = ${t.id} and dedupe_key = ${`export:${created.id}`}`
    expect(notes).toEqual([{ type: 'export.failed', title: 'General ledger export failed' }])
  })
})

describe('createExport', () => {
  it('creates one export per scheduled run, however often it is asked', async () => {
    const input = { report: 'trial-balance' as const, format: 'csv' as const, params: {}, requestedBy: null, scheduleId: crypto.randomUUID(), runKey: '2026-11-28T06:00:00Z' }
    const a = await withTenant(t.id, tx => createExport(tx, t.id, input))
    const b = await withTenant(t.id, tx => createExport(tx, t.id, input))
    expect(b.id).toBe(a.id)
  })
})
