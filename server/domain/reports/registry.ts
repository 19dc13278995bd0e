/**
 * The report registry: for every report of the catalog (./catalog.ts: name, title, parameters,
 * permissions, scheduling), how it is computed and laid out as a table. It drives the report
 * routes (`readReport`, `answerReport`), the export requests and runner, and the schedules, so a new report is
 * its catalog entry, its entry here and its table builder (./export.ts).
 */
import type { Writable } from 'node:stream'
import type { z } from 'zod'
import type { Tx } from '../../../db/tenant'
import { RuleError, ValidationError } from '../errors'
import { reportAccounts } from './balances'
import { cachedReport, type LedgerVersionRow } from './cache'
import { columnPeriods, type ColumnPeriod } from './periods'
import { MAX_STATEMENT_COLUMNS, REPORT_CATALOG, type CatalogEntry, type ReportFileFormat, type ReportName, type REPORT_FORMATS } from './catalog'
import {
  balanceSheetTable, cashFlowTable, generalLedgerAccountsTable, generalLedgerTable, incomeStatementTable, renderReport, trialBalanceTable,
  type RenderOptions, type ReportFile, type ReportFormat, type ReportTable,
} from './export'
import { writeGeneralLedgerFile, type FileRun, type ProducedFile } from './general-ledger-stream'
import { generalLedgerReport, isLedgerOfAccounts } from './general-ledgers'
import { cashFlow } from './cash-flow'
import { apAging, arAging, taxSummary } from './subledger'
import { customers, vendors } from '../../../db/schema'
import { eq } from 'drizzle-orm'
import { apAgingTable, arAgingTable, taxSummaryTable } from './subledger-tables'
import { balanceSheet, GL_EXPORT_MAX_ROWS, incomeStatement, trialBalance } from './statements'

/** A file's parameters (exports, schedules), as the catalog's `fileParams` parses them. */
type Params<N extends ReportName> = z.output<CatalogEntry<N>['fileParams']>
/** The JSON route's parameters: the file's plus paging where the report has it. */
type Query<N extends ReportName> = Omit<z.output<CatalogEntry<N>['query']>, 'format'>

interface ReportImpl<N extends ReportName, R> {
  /** The JSON answer, cached by the route under the tenant's ledger version. */
  compute: (tx: Tx, query: Query<N>) => Promise<R>
  /** The answer as one table: the CSV, XLSX and PDF files (./export.ts). */
  table: (result: R) => ReportTable
  /** The answer a file is made of, when it differs from the JSON one (not cached); default `compute`. */
  computeFile?: (tx: Tx, params: Params<N>) => Promise<R>
  /**
   * Writes an export's file streamed, instead of building it whole (reports of any size), in the
   * caller's transaction, which the export runner opens at repeatable read (one snapshot throughout).
   */
  streamFile?: (tx: Tx, run: FileRun, params: Params<N>, format: ReportFormat, out: Writable) => Promise<ProducedFile>
  /** A parameter that names a row this tenant does not have (e.g. an account), or undefined. */
  unknownRow?: (tx: Tx, params: Params<N>) => Promise<{ param: string, entity: string } | undefined>
  /**
   * Never cached: the answer reads what moves without a posting (allocations, customer names), which
   * the ledger version does not follow (the receivables reports; they are one query each).
   */
  uncached?: true
}

/** One registry entry, its parameter types erased: callers parse with `parseReportParams` first. */
export type Report = CatalogEntry & {
  compute: (tx: Tx, query: object) => Promise<unknown>
  computeFile: (tx: Tx, params: object) => Promise<unknown>
  table: (result: unknown) => ReportTable
  streamFile?: (tx: Tx, run: FileRun, params: object, format: ReportFormat, out: Writable) => Promise<ProducedFile>
  unknownRow: (tx: Tx, params: object) => Promise<{ param: string, entity: string } | undefined>
  uncached?: true
}

function defineEntry<N extends ReportName, R>(name: N, impl: ReportImpl<N, R>): Report {
  const erased = impl as unknown as Omit<Report, keyof CatalogEntry>
  return {
    ...(REPORT_CATALOG[name] as CatalogEntry),
    ...erased,
    computeFile: erased.computeFile ?? erased.compute,
    unknownRow: erased.unknownRow ?? (async () => undefined),
  }
}

export const REPORT_REGISTRY: Record<ReportName, Report> = {
  'trial-balance': defineEntry('trial-balance', { compute: trialBalance, table: trialBalanceTable }),
  'balance-sheet': defineEntry('balance-sheet', { compute: balanceSheet, table: balanceSheetTable }),
  'income-statement': defineEntry('income-statement', { compute: incomeStatement, table: incomeStatementTable }),
  'cash-flow': defineEntry('cash-flow', { compute: cashFlow, table: cashFlowTable }),
  'general-ledger': defineEntry('general-ledger', {
    // One account's ledger with `accountId`; every account of a code range without (./general-ledgers.ts).
    compute: generalLedgerReport,
    table: r => (isLedgerOfAccounts(r) ? generalLedgerAccountsTable(r) : generalLedgerTable(r)),
    // A file carries every line of the range, not one page.
    computeFile: async (tx, params) => {
      const report = await generalLedgerReport(tx, { ...params, page: 1, pageSize: GL_EXPORT_MAX_ROWS })
      if (report.total > GL_EXPORT_MAX_ROWS) throw new RuleError(`The range has ${report.total} lines; a file carries at most ${GL_EXPORT_MAX_ROWS}: narrow the dates${isLedgerOfAccounts(report) ? ' or the accounts, or export it' : ''}`, 'REPORT_TOO_LARGE')
      return report
    },
    streamFile: writeGeneralLedgerFile,
    unknownRow: async (tx, params) => (!params.accountId || (await reportAccounts(tx)).some(a => a.id === params.accountId) ? undefined : { param: 'accountId', entity: 'Account' }),
  }),
  'ar-aging': defineEntry('ar-aging', {
    compute: arAging, table: arAgingTable, uncached: true,
    unknownRow: async (tx, params) => (!params.customerId || (await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, params.customerId))).length ? undefined : { param: 'customerId', entity: 'Customer' }),
  }),
  'ap-aging': defineEntry('ap-aging', {
    compute: apAging, table: apAgingTable, uncached: true,
    unknownRow: async (tx, params) => (!params.vendorId || (await tx.select({ id: vendors.id }).from(vendors).where(eq(vendors.id, params.vendorId))).length ? undefined : { param: 'vendorId', entity: 'Vendor' }),
  }),
  'tax-summary': defineEntry('tax-summary', { compute: taxSummary, table: taxSummaryTable, uncached: true }),
}

/** The registry entry of `name`; a ValidationError for a name no report has (e.g. a stored, since removed one). */
export function reportOf(name: string): Report {
  const report = (REPORT_REGISTRY as Record<string, Report | undefined>)[name]
  if (!report) throw new ValidationError('Unknown report', { report: `is not one of ${Object.keys(REPORT_REGISTRY).join(', ')}` })
  return report
}

function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = ['params', ...issue.path.map(String)].join('.')
    fields[path] ??= issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message
  }
  return fields
}

/**
 * Checks a file's parameters (the report route's query without format and paging) with the
 * report's own schema and its range rules; returns them parsed (omitted dates take their
 * defaults). Throws ValidationError with `params.<name>` field messages.
 */
export function parseReportParams(report: Report, params: unknown): object {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ValidationError('Invalid request body', { params: 'must be an object of query parameters' })
  const result = report.fileParams.safeParse(params)
  if (!result.success) throw new ValidationError('Invalid request body', fieldsOf(result.error))
  const p = result.data as { from?: string, to?: string, asOf?: string, compare?: string, compareFrom?: string, compareTo?: string, compareAsOf?: string, columns?: string, accountId?: string, fromCode?: string, toCode?: string }
  // The same range rules the report itself applies, checked now so a bad request fails at once.
  if (p.from && p.to && p.from > p.to) throw new ValidationError('Invalid request body', { 'params.from': 'must be on or before the end date' })
  if (p.compare && (p.compareFrom || p.compareTo)) throw new ValidationError('Invalid request body', { 'params.compare': 'give either compare or compareFrom and compareTo, not both' })
  if (p.columns && (p.compare || p.compareFrom || p.compareTo || p.compareAsOf)) throw new ValidationError('Invalid request body', { 'params.columns': 'columns by month or quarter cannot be compared: leave out the comparison' })
  if (p.from && p.asOf && !p.columns) throw new ValidationError('Invalid request body', { 'params.from': 'is for columns: give columns=month or columns=quarter' })
  if (p.from && p.asOf && p.from > p.asOf) throw new ValidationError('Invalid request body', { 'params.from': 'must be on or before the as-of date' })
  const end = p.to ?? p.asOf
  if (p.columns && p.from && end && p.from <= end && columnPeriods({ from: p.from, to: end }, p.columns as ColumnPeriod, MAX_STATEMENT_COLUMNS).length > MAX_STATEMENT_COLUMNS) {
    throw new ValidationError('Invalid request body', { 'params.columns': `a statement has at most ${MAX_STATEMENT_COLUMNS} columns: shorten the range or choose quarters` })
  }
  if (p.accountId && (p.fromCode || p.toCode)) throw new ValidationError('Invalid request body', { 'params.fromCode': 'give either accountId or a code range (fromCode, toCode), not both' })
  if (p.fromCode && p.toCode && p.fromCode > p.toCode) throw new ValidationError('Invalid request body', { 'params.fromCode': 'must be on or before toCode' })
  if ('compareFrom' in p || 'compareTo' in p) {
    if (!p.compareFrom !== !p.compareTo) throw new ValidationError('Invalid request body', { [p.compareFrom ? 'params.compareTo' : 'params.compareFrom']: 'give both compareFrom and compareTo' })
    if (p.compareFrom && p.compareTo && p.compareFrom > p.compareTo) throw new ValidationError('Invalid request body', { 'params.compareFrom': 'must be on or before the end date' })
  }
  return result.data
}

/**
 * What a report route reads in its transaction: the JSON answer, or the table and document options
 * of a file (rendered by `answerReport` after the commit, so no connection waits on a PDF); `cache`
 * says whether the cache had it.
 */
export type ReportReading
  = { format: 'json', json: unknown, cache: 'hit' | 'miss' }
    | { format: ReportFileFormat, table: ReportTable, document?: RenderOptions, cache?: 'hit' | 'miss' }

/** What a report route asks: the tenant, the report, the format and the query (checked by its contract). */
export interface ReportRequest {
  tenantId: string
  report: Report
  format: typeof REPORT_FORMATS[number]
  query: object
  /** The document options of a file (who made it, the organisation's formats), read in the same transaction. */
  document?: () => Promise<RenderOptions>
}

/**
 * Reads a report route's answer in the route's transaction, opened with `REPORT_READ` (./cache.ts:
 * repeatable read, the ledger `version` read with BEGIN). JSON, and files of reports whose file is
 * their JSON answer, come through the report cache, keyed by the report's name; a report with its
 * own `computeFile` computes its file fresh.
 */
export async function readReport(tx: Tx, version: LedgerVersionRow[], request: ReportRequest): Promise<ReportReading> {
  const { tenantId, report, format, query } = request
  if (report.uncached || (format !== 'json' && report.computeFile !== report.compute)) {
    const result = format === 'json' ? await report.compute(tx, query) : await report.computeFile(tx, query)
    if (format === 'json') return { format, json: result, cache: 'miss' }
    return { format, table: report.table(result), document: await request.document?.() }
  }
  const { value, hit } = await cachedReport(tx, version, { tenantId, name: report.name, params: query as Record<string, unknown> }, tx => report.compute(tx, query))
  const cache = hit ? 'hit' as const : 'miss' as const
  return format === 'json' ? { format, json: value, cache } : { format, table: report.table(value), document: await request.document?.(), cache }
}

/** A report route's answer: the JSON result, or a file; `cache` says whether the cache had it. */
export type ReportAnswer = { json: unknown, cache: 'hit' | 'miss' } | { file: ReportFile, cache?: 'hit' | 'miss' }

/** A report route's answer from what it read (`readReport`): a file is rendered here, outside the transaction. */
export async function answerReport(reading: ReportReading): Promise<ReportAnswer> {
  if (reading.format === 'json') return { json: reading.json, cache: reading.cache }
  return { file: await renderReport(reading.format, reading.table, reading.document), cache: reading.cache }
}
