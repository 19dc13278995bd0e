/**
 * The outbox relay (server/domain/outbox/relay.ts) against the test database and the shared test
 * server's in-process worker: a row of any kind whose enqueue was lost (written, never enqueued)
 * is enqueued by the relay once it has waited a minute, and its job then processes it; a row
 * still within its first minute is left to its own request.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { closeQueues } from '../../server/core/queues'
import { outboxKind } from '../../server/domain/outbox/kinds'
import { dueRows, relayOutbox } from '../../server/domain/outbox/relay'
import { createTenant, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
let t: TestTenant

beforeAll(async () => {
  for (const [key, value] of Object.entries(inject('serverEnv'))) if (value !== undefined) process.env[key] = value
  setDatabase(connect(inject('databaseUrl'), { max: 4 }))
  t = await createTenant()
})

afterAll(async () => {
  await closeQueues()
  await closeDatabase()
  await sql.end()
})

/** Rows as a lost enqueue leaves them: waiting, written `age` ago, no job. */
async function lostRows(age: string) {
  const [mail] = await sql<{ id: string }[]>`
    insert into mail_outbox (tenant_id, kind, "to", subject, text, html, created_at)
    values (${t.id}, 'invitation', array[${`relay-${age}@${t.slug}.test`}], 'Relayed', 'text', '<p>html</p>', now() - ${age}::interval) returning id`
  const [platform] = await sql<{ id: string }[]>`
    insert into platform_mail_outbox (kind, "to", subject, text, html, created_at)
    values ('signup', array[${`relay-${age}@platform.test`}], 'Relayed', 'text', '<p>html</p>', now() - ${age}::interval) returning id`
  const [file] = await sql<{ id: string }[]>`
    insert into report_exports (tenant_id, report, format, params, created_at)
    values (${t.id}, 'trial-balance', 'csv', ${sql.json({ asOf: '2026-01-31' })}, now() - ${age}::interval) returning id`
  return { mail: mail!.id, platform: platform!.id, file: file!.id }
}

const statuses = async (ids: { mail: string, platform: string, file: string }) => ({
  mail: (await sql<{ status: string }[]>`select status from mail_outbox where id = ${ids.mail}`)[0]!.status,
  platform: (await sql<{ status: string }[]>`select status from platform_mail_outbox where id = ${ids.platform}`)[0]!.status,
  file: (await sql<{ status: string }[]>`select status from report_exports where id = ${ids.file}`)[0]!.status,
})

describe('the outbox relay', () => {
  it('finds the rows of every kind left waiting over a minute, and not the ones just written', async () => {
    const stale = await lostRows('5 minutes')
    const fresh = await lostRows('0 seconds')
    const due = async (name: 'mail' | 'platform-mail' | 'exports') => (await dueRows(outboxKind(name))).map(r => r.id)
    expect(await due('mail')).toContain(stale.mail)
    expect(await due('mail')).not.toContain(fresh.mail)
    expect(await due('platform-mail')).toContain(stale.platform)
    expect(await due('platform-mail')).not.toContain(fresh.platform)
    expect(await due('exports')).toContain(stale.file)
    expect(await due('exports')).not.toContain(fresh.file)
    expect((await dueRows(outboxKind('mail'))).find(r => r.id === stale.mail)?.tenantId).toBe(t.id)
    expect((await dueRows(outboxKind('platform-mail'))).find(r => r.id === stale.platform)?.tenantId).toBeNull()
  })

  it('enqueues each lost row once, and the jobs deliver the mails and finish the export', async () => {
    const ids = await lostRows('2 minutes')
    const relayed = await relayOutbox()
    expect(Object.keys(relayed).sort()).toEqual(['bank-imports', 'exports', 'mail', 'platform-mail'])
    for (const name of ['exports', 'mail', 'platform-mail']) expect(relayed[name]).toBeGreaterThan(0)
    // A second sweep before the jobs ran adds no second job (the job id is the row's).
    await relayOutbox()
    await expect.poll(() => statuses(ids), { timeout: 30_000, interval: 250 }).toEqual({ mail: 'sent', platform: 'sent', file: 'done' })
    const [mail] = await sql<{ attempts: number }[]>`select attempts from mail_outbox where id = ${ids.mail}`
    expect(mail!.attempts).toBe(1)
  })
})
