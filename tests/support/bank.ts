/**
 * Bank test helpers (issue 14): a bank account on a new GL bank account, statement lines imported
 * from a small CSV, posted entries on the bank's GL account and their bank-side line.
 */
import type postgres from 'postgres'
import type { Client } from './api'
import { createAccount, postEntry } from './ledger'

export const SIMPLE_MAPPING = { date: 'Date', amount: 'Amount', description: 'Text', reference: 'Ref', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' }

/** A line as `[date, amount, text, reference?]`. */
export type StatementRow = readonly [date: string, amount: string, text: string, reference?: string]

export interface TestBank { id: string, glId: string, glCode: string }

let seq = 0
/** A bank account (201 expected) on a new GL bank account coded `codePrefix` + a counter. */
export async function createBank(c: Client, name: string, codePrefix = '10', currency?: string): Promise<TestBank> {
  const glCode = `${codePrefix}${String(50 + seq++).padStart(2, '0')}`
  const gl = await createAccount(c, { code: glCode, name, type: 'asset', subtype: 'bank', ...(currency ? { currency } : {}) })
  const res = await c.post('/api/v1/bank-accounts', { json: { name, accountId: gl.id, ...(currency ? { currency } : {}) } })
  if (res.status !== 201) throw new Error(`creating a bank account: ${res.status} ${res.text}`)
  return { id: res.body.id, glId: gl.id, glCode }
}

/** Imports the rows as a CSV statement (201 expected) and answers the import with its new lines. */
export async function importRows(c: Client, bankId: string, rows: readonly StatementRow[]) {
  const csv = ['Date;Amount;Text;Ref', ...rows.map(r => [r[0], r[1], r[2], r[3] ?? ''].join(';'))].join('\n')
  const res = await c.post(`/api/v1/bank-accounts/${bankId}/imports`, { json: { format: 'csv', content: csv, mapping: { ...SIMPLE_MAPPING, delimiter: ';' } } })
  if (res.status !== 201) throw new Error(`importing: ${res.status} ${res.text}`)
  return res.body as { id: string, imported: number, categorized: number, transactions: { id: string, amount: string, status: string, date: string }[] }
}

/**
 * A posted entry moving `amount` through the bank's GL account (positive: money in, against
 * `otherCode`), answering the entry and the id of its bank-side line.
 */
export async function postBankEntry(c: Client, bank: TestBank, amount: string, date: string, otherCode = '3000', extra: Record<string, unknown> = {}) {
  const abs = amount.replace(/^-/, '')
  const inflow = !amount.startsWith('-')
  const entry = await postEntry(c, {
    date, memo: (extra.memo as string | undefined) ?? `Bank ${amount}`, ...extra,
    lines: [
      { accountId: bank.glId, ...(inflow ? { debit: abs } : { credit: abs }) },
      { accountCode: otherCode, ...(inflow ? { credit: abs } : { debit: abs }) },
    ],
  })
  const line = (entry.lines as { id: string, accountId: string }[]).find(l => l.accountId === bank.glId)!
  return { entryId: entry.id as string, number: entry.number as number, lineId: line.id }
}

/** The bank-side journal line of an entry, straight from the database. */
export async function bankLineOf(sql: postgres.Sql, entryId: string, glId: string): Promise<string> {
  const [r] = await sql<{ id: string }[]>`select id from journal_lines where entry_id = ${entryId} and account_id = ${glId}`
  return r!.id
}
