/**
 * What an unmatched bank line could be matched to (SPEC §5 `bank-transactions/{id}/suggestions`;
 * issue 14 point 3), best first:
 *
 * - `journal_line`, `receipt`, `bill_payment`: a posted, unreversed, unmatched GL line on the bank
 *   account's GL account of EXACTLY the line's amount (in the bank account's currency), dated within
 *   `days` (default 7) of it. A line of a receipt's or a bill payment's entry is offered as that
 *   document (`id` the document's, `journalLineId` its line). Several GL lines adding up to one bank
 *   line are matched by hand (`match` with `journalLineIds`); they are not suggested.
 * - `rule`: the first rule whose conditions hold (./rules.ts), applied with `categorize {ruleId}`.
 *
 * Score, 0 to 1: 0.5 for the amount (required), up to 0.3 for the date (0.3 on the same day, falling
 * linearly to 0 just past the window), 0.1 when a number or reference of the GL side is found in the
 * bank line's text or the bank's reference in the GL side's, and up to 0.1 for the counterparty (the
 * customer's or vendor's name found in the bank line's counterparty or description: 0.1; else the
 * share of its words found there × 0.1). A rule scores 0.4. `reason` says what counted.
 *
 * The GL lines are read by one query on the account, the amount and the date window, which the index
 * journal_lines_amount_idx (migration 0032) answers for a base-currency bank account without reading the
 * account's other lines.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/tenant'
import { Dec } from '../money'
import { baseCurrencyOf } from '../ledger/posting'
import { getBankTransaction } from './imports'
import { bankAccountRow } from './accounts'
import { firstRule, rulesInOrder } from './rules'

export interface Suggestion {
  kind: 'journal_line' | 'receipt' | 'bill_payment' | 'rule'
  id: string
  journalLineId: string | null
  entryId: string | null
  entryNumber: number | null
  date: string
  amount: string
  description: string
  score: number
  reason: string
  accountId?: string
  taxRateId?: string | null
  memo?: string | null
}

interface CandidateRow extends Record<string, unknown> {
  id: string
  entry_date: string
  description: string | null
  entry_id: string
  entry_number: number | null
  memo: string
  entry_reference: string | null
  source_type: string | null
  doc_id: string | null
  doc_number: string | null
  doc_reference: string | null
  party: string | null
}

const DAY = 86_400_000
const daysBetween = (a: string, b: string) => Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY)
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
const words = (s: string) => new Set(s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(w => w.length >= 2))
const round2 = (x: number) => Math.round(x * 100) / 100

/** How much of a party's name the bank line names: 1 when whole, else the share of its words. */
function nameSimilarity(name: string, text: string): number {
  const n = name.trim().toLowerCase()
  if (!n) return 0
  if (text.toLowerCase().includes(n)) return 1
  const mine = words(n)
  if (!mine.size) return 0
  const theirs = words(text)
  return [...mine].filter(w => theirs.has(w)).length / mine.size
}

export async function suggestionsFor(tx: Tx, tenantId: string, id: string, opts: { days: number, limit: number }): Promise<Suggestion[]> {
  const line = await getBankTransaction(tx, id)
  if (line.status !== 'unmatched') return []
  const bank = await bankAccountRow(tx, line.bankAccountId)
  const inBase = bank.currency === await baseCurrencyOf(tx, tenantId)
  const amount = new Dec(line.amount).toFixed(4)
  const from = addDays(line.date, -opts.days)
  const to = addDays(line.date, opts.days)
  const amountExpr = inBase ? sql`(jl.base_debit - jl.base_credit)` : sql`coalesce(jl.account_amount, jl.debit - jl.credit)`
  const rows = await tx.execute<CandidateRow>(sql`
    select jl.id, jl.entry_date::text as entry_date, jl.description, e.id as entry_id, e.number as entry_number, e.memo, e.reference as entry_reference,
      e.source_type, coalesce(r.id, p.id) as doc_id, coalesce(r.number, p.number) as doc_number, coalesce(r.reference, p.reference) as doc_reference,
      coalesce(c.name, v.name) as party
    from journal_lines jl
    join journal_entries e on e.tenant_id = jl.tenant_id and e.id = jl.entry_id
    left join receipts r on e.source_type = 'receipt' and r.tenant_id = e.tenant_id and r.id = e.source_id
    left join customers c on c.tenant_id = r.tenant_id and c.id = r.customer_id
    left join bill_payments p on e.source_type = 'bill_payment' and p.tenant_id = e.tenant_id and p.id = e.source_id
    left join vendors v on v.tenant_id = p.tenant_id and v.id = p.vendor_id
    where jl.tenant_id = ${tenantId}::uuid and jl.account_id = ${bank.accountId}::uuid and ${amountExpr} = ${amount}::numeric
      and jl.entry_date between ${from}::date and ${to}::date
      and e.status = 'posted' and e.reversed_by_id is null and e.reversal_of_id is null
      and not exists (select 1 from bank_matches m where m.tenant_id = jl.tenant_id and m.journal_line_id = jl.id)
    order by abs(jl.entry_date - ${line.date}::date), jl.id
    limit 200`)

  const bankText = [line.description, line.reference ?? ''].join('\n').toLowerCase()
  const partyText = [line.counterparty ?? '', line.description].join('\n')
  const out: Suggestion[] = rows.map((r) => {
    const reasons = ['Same amount']
    const apart = daysBetween(r.entry_date, line.date)
    let score = 0.5 + 0.3 * (1 - apart / (opts.days + 1))
    reasons.push(apart === 0 ? 'Same day' : `${apart} day${apart === 1 ? '' : 's'} apart`)
    const refs = [r.doc_number, r.doc_reference, r.entry_reference].filter((x): x is string => !!x && x.trim().length >= 3)
    const glText = [r.memo, r.description ?? '', r.entry_reference ?? '', r.doc_reference ?? ''].join('\n').toLowerCase()
    const ref = refs.find(x => bankText.includes(x.trim().toLowerCase()))
      ?? (line.reference && line.reference.trim().length >= 3 && glText.includes(line.reference.trim().toLowerCase()) ? line.reference.trim() : undefined)
    if (ref) {
      score += 0.1
      reasons.push(`Reference ${ref}`)
    }
    if (r.party) {
      const similar = nameSimilarity(r.party, partyText)
      if (similar > 0) {
        score += 0.1 * similar
        reasons.push(`${r.source_type === 'receipt' ? 'Customer' : 'Vendor'} ${r.party}`)
      }
    }
    const kind = r.source_type === 'receipt' && r.doc_id ? 'receipt' : r.source_type === 'bill_payment' && r.doc_id ? 'bill_payment' : 'journal_line'
    return {
      kind, id: kind === 'journal_line' ? r.id : r.doc_id!, journalLineId: r.id, entryId: r.entry_id, entryNumber: r.entry_number,
      date: r.entry_date, amount: line.amount,
      description: kind === 'journal_line' ? (r.description ?? r.memo) : `${r.doc_number}${r.party ? ` · ${r.party}` : ''}`,
      score: round2(Math.min(score, 1)), reason: reasons.join('; '),
    }
  })

  const rule = firstRule(await rulesInOrder(tx), line)
  if (rule) {
    out.push({
      kind: 'rule', id: rule.id, journalLineId: null, entryId: null, entryNumber: null, date: line.date, amount: line.amount, description: rule.name,
      score: 0.4, reason: `Rule: ${rule.name}`, accountId: rule.accountId, taxRateId: rule.taxRateId, memo: rule.memo,
    })
  }
  // Stable: equal scores keep the query's order (nearest date first).
  return out.sort((a, b) => b.score - a.score).slice(0, opts.limit)
}
