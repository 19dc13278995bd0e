/**
 * The reconciliation report (issue 14 point 5): the statement's balance, what the books hold that
 * the statement does not (outstanding deposits and payments: posted GL lines on the bank's GL
 * account after the opening balance date and up to the statement date whose bank line is not
 * cleared), what the statement holds that the books do not (bank lines up to the date not cleared),
 * the GL balance at the date, and the tie:
 *
 *   statement balance + outstanding deposits − outstanding payments
 *     − bank-only deposits + bank-only payments = GL balance
 *
 * "Cleared" is as of this session: while open, bank lines matched or reconciled up to the date;
 * once completed, lines reconciled by it or an earlier session. GL lines dated on or before the bank
 * account's opening balance date are the opening balance (the first session's starting point).
 * Amounts are in the bank account's currency (the base amounts when it is the base currency).
 */
import { and, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm'
import { accounts, bankMatches, bankTransactions, journalEntries, journalLines } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { baseCurrencyOf, ownAmountSql } from '../ledger/posting'
import { Dec, format, minorUnit } from '../money'
import type { ReportTable } from '../reports/export'
import { bankAccountRow } from './accounts'
import { completedIdsUpTo, getReconciliation, reconciliationRow, type Reconciliation } from './reconciliations'

export interface ReportLine { date: string, description: string, reference: string | null, amount: string, entryId?: string, entryNumber?: number | null, bankTransactionId?: string }
export interface ReportGroup { total: string, lines: ReportLine[] }

export interface ReconciliationReport {
  reconciliation: Reconciliation
  accountCode: string
  accountName: string
  statementBalance: string
  outstandingDeposits: ReportGroup
  outstandingPayments: ReportGroup
  bankOnlyDeposits: ReportGroup
  bankOnlyPayments: ReportGroup
  adjustedBalance: string
  glBalance: string
  /** GL balance − adjusted statement balance: 0 when the books and the statement tie. */
  unexplained: string
  ties: boolean
}

export async function reconciliationReport(tx: Tx, tenantId: string, id: string): Promise<ReconciliationReport> {
  const rec = await reconciliationRow(tx, id)
  const bank = await bankAccountRow(tx, rec.bankAccountId)
  const base = await baseCurrencyOf(tx, tenantId)
  const places = minorUnit(bank.currency)
  const D = rec.statementDate
  const completed = rec.status === 'completed' ? await completedIdsUpTo(tx, bank.id, D) : []
  const cleared: SQL = rec.status === 'completed'
    ? (completed.length ? inArray(bankTransactions.reconciliationId, completed) : sql`false`)
    : inArray(bankTransactions.status, ['matched', 'reconciled'])
  const signed = bank.currency === base
    ? sql<string>`${journalLines.baseDebit} - ${journalLines.baseCredit}`
    : ownAmountSql()
  const posted = and(eq(journalLines.accountId, bank.accountId), eq(journalEntries.status, 'posted'), lte(journalEntries.date, D))
  const [[gl], outstanding, bankOnly, [account]] = await Promise.all([
    tx.select({ balance: sql<string>`coalesce(sum(${signed}), 0)` }).from(journalLines)
      .innerJoin(journalEntries, and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)))
      .where(posted),
    tx.select({ date: journalEntries.date, memo: journalEntries.memo, description: journalLines.description, reference: journalEntries.reference, entryId: journalEntries.id, number: journalEntries.number, amount: signed })
      .from(journalLines)
      .innerJoin(journalEntries, and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)))
      .where(and(posted, bank.openingBalanceDate ? gt(journalEntries.date, bank.openingBalanceDate) : undefined,
        sql`not exists (select 1 from ${bankMatches} m join ${bankTransactions} on ${bankTransactions.tenantId} = m.tenant_id and ${bankTransactions.id} = m.bank_transaction_id
          where m.tenant_id = ${journalLines.tenantId} and m.journal_line_id = ${journalLines.id} and ${bankTransactions.date} <= ${D} and ${cleared})`))
      .orderBy(asc(journalEntries.date), asc(journalEntries.number), asc(journalLines.lineNo)),
    tx.select({ id: bankTransactions.id, date: bankTransactions.date, description: bankTransactions.description, reference: bankTransactions.reference, amount: bankTransactions.amount })
      .from(bankTransactions)
      .where(and(eq(bankTransactions.bankAccountId, bank.id), lte(bankTransactions.date, D), sql`not (${cleared})`))
      .orderBy(asc(bankTransactions.date), asc(bankTransactions.id)),
    tx.select({ code: accounts.code, name: accounts.name }).from(accounts).where(eq(accounts.id, bank.accountId)),
  ])
  const group = (lines: ReportLine[]): ReportGroup => ({ total: format(lines.reduce((s, l) => s.plus(new Dec(l.amount).abs()), new Dec(0)), places), lines })
  const glLines = outstanding.filter(l => !new Dec(l.amount).isZero()).map(l => ({
    date: l.date, description: l.description ?? l.memo, reference: l.reference, amount: format(new Dec(l.amount), places), entryId: l.entryId, entryNumber: l.number,
  }))
  const bankLines = bankOnly.map(l => ({ date: l.date, description: l.description, reference: l.reference, amount: format(new Dec(l.amount), places), bankTransactionId: l.id }))
  const outstandingDeposits = group(glLines.filter(l => new Dec(l.amount).gt(0)))
  const outstandingPayments = group(glLines.filter(l => new Dec(l.amount).lt(0)))
  const bankOnlyDeposits = group(bankLines.filter(l => new Dec(l.amount).gt(0)))
  const bankOnlyPayments = group(bankLines.filter(l => new Dec(l.amount).lt(0)))
  const adjusted = new Dec(rec.statementEndingBalance).plus(outstandingDeposits.total).minus(outstandingPayments.total)
    .minus(bankOnlyDeposits.total).plus(bankOnlyPayments.total)
  const glBalance = new Dec(gl!.balance)
  const unexplained = glBalance.minus(adjusted)
  return {
    reconciliation: await getReconciliation(tx, id),
    accountCode: account?.code ?? '', accountName: account?.name ?? '',
    statementBalance: format(new Dec(rec.statementEndingBalance), places),
    outstandingDeposits, outstandingPayments, bankOnlyDeposits, bankOnlyPayments,
    adjustedBalance: format(adjusted, places),
    glBalance: format(glBalance, places),
    unexplained: format(unexplained, places),
    ties: unexplained.isZero(),
  }
}

/** The report as one table for the report files (CSV, PDF; server/domain/reports/export.ts). */
export function reconciliationReportTable(r: ReconciliationReport): ReportTable {
  const rec = r.reconciliation
  const rows: string[][] = [['Statement', rec.statementDate, 'Statement ending balance', '', r.statementBalance]]
  const section = (label: string, g: ReportGroup, sign: '+' | '−') => {
    for (const l of g.lines) rows.push([label, l.date, l.description, l.reference ?? '', l.amount])
    rows.push([label, '', `${sign} Total ${label.toLowerCase()}`, '', g.total])
  }
  section('Outstanding deposits', r.outstandingDeposits, '+')
  section('Outstanding payments', r.outstandingPayments, '−')
  section('Bank lines not in the books: deposits', r.bankOnlyDeposits, '−')
  section('Bank lines not in the books: payments', r.bankOnlyPayments, '+')
  rows.push(['Tie', rec.statementDate, 'Adjusted statement balance', '', r.adjustedBalance])
  rows.push(['Tie', rec.statementDate, `GL balance (${r.accountCode} ${r.accountName})`, '', r.glBalance])
  rows.push(['Tie', '', r.ties ? 'Difference (ties)' : 'Difference (does not tie)', '', r.unexplained])
  return {
    name: `bank-reconciliation-${rec.statementDate}`,
    title: `Bank reconciliation: ${rec.bankAccountName}`,
    subtitle: `As of ${rec.statementDate} (${rec.currency}), ${rec.status}`,
    period: { asOf: rec.statementDate }, currency: rec.currency, note: rec.status === 'completed' ? 'completed' : 'open',
    columns: [
      { label: 'Section', section: true },
      { label: 'Date', date: true },
      { label: 'Description', weight: 3 },
      { label: 'Reference', weight: 1.5 },
      { label: 'Amount', amount: true },
    ],
    rows,
  }
}
