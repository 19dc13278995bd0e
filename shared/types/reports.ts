import type { z } from 'zod'
import type { ExportResource } from '../../server/contracts/exports'
import type { DashboardSummaryResponse } from '../../server/contracts/dashboard'
import type { CreateScheduleBody, ScheduleResource } from '../../server/contracts/report-schedules'
import type { reportContracts } from '../../server/contracts/reports'
import type { CustomerStatementResponse, VendorStatementResponse } from '../../server/contracts/subledger-reports'
import type { ReportFileFormat, ReportName } from '../../server/domain/reports/catalog'

/*
 * The reports' wire types, read from the zod contracts the routes validate with
 * (server/contracts/reports.ts): a figure the API adds or renames reaches the pages' types
 * without a copy to keep in step. Amounts are decimal strings in the tenant's base currency.
 */

/** The JSON answer of `GET /api/v1/reports/<name>`. */
export type ReportResponse<N extends ReportName> = z.output<typeof reportContracts[N]['response']>

export type TrialBalance = ReportResponse<'trial-balance'>
export type ArAging = ReportResponse<'ar-aging'>
export type ApAging = ReportResponse<'ap-aging'>
export type TaxSummary = ReportResponse<'tax-summary'>
/** `GET /api/v1/customers/{id}/statement` */
export type CustomerStatement = z.output<typeof CustomerStatementResponse>
/** `GET /api/v1/vendors/{id}/statement` */
export type VendorStatement = z.output<typeof VendorStatementResponse>
export type TrialBalanceRow = TrialBalance['rows'][number]
export type BalanceSheet = ReportResponse<'balance-sheet'>
/** A section of a statement (assets, revenue, operating activities …): its rows and total. */
export type StatementSection = BalanceSheet['assets']
/** A row of a statement; computed lines (current-year earnings, net income) have no account. */
export type StatementRow = StatementSection['rows'][number]
/** Where a figure's lines are: the general ledger of `accountId` over the range (`from` null: since the start). */
export type DrillDown = NonNullable<StatementRow['drillDown']>
/** A compared figure's comparative amount, variance and variance % (null when the comparative is zero). */
export type Comparison = NonNullable<StatementRow['comparison']>
/**
 * `sections` and `subtotals` are the statement by subtype (server/domain/reports/income-sections.ts);
 * compared (`compare`, or `compareFrom`/`compareTo`), each row and figure carries its comparison and
 * the comparative period's first-layout figures come in `comparative`.
 */
export type IncomeStatement = ReportResponse<'income-statement'>
/** A computed figure of the income statement (gross profit …) with its comparison. */
export type StatementFigure = IncomeStatement['subtotals']['grossProfit']
export type IncomeFigures = NonNullable<IncomeStatement['comparative']>
/** Indirect method: account lines carry `accountId`; computed lines (net income) do not. */
export type CashFlowStatement = ReportResponse<'cash-flow'>
/** The general-ledger route's answer: one account's ledger (with `accountId`) or the accounts of a code range. */
export type GeneralLedgerAnswer = ReportResponse<'general-ledger'>
/** One account's ledger (`accountId`). */
export type GeneralLedger = Extract<GeneralLedgerAnswer, { account: unknown }>
export type GeneralLedgerRow = GeneralLedger['rows'][number]
/** Every account, or a range of codes, each a section with opening balance, lines and closing balance. */
export type GeneralLedgerAccounts = Extract<GeneralLedgerAnswer, { accounts: unknown }>
export type GeneralLedgerAccountSection = GeneralLedgerAccounts['accounts'][number]
/** One month or quarter of an income statement by columns. */
export type IncomeColumn = NonNullable<IncomeStatement['columns']>['periods'][number]

/** A report file's format (`format=csv|xlsx|pdf`). */
export type ReportFormat = ReportFileFormat

/** A report file made in the background (`/api/v1/exports`). */
export type ReportExport = z.output<typeof ExportResource>
export type ExportStatus = ReportExport['status']

/** A report run on a cron expression in a time zone and e-mailed to its recipients. */
export type ReportSchedule = z.output<typeof ScheduleResource>
/** The body of `POST /api/v1/report-schedules`. */
export type ScheduleInput = z.input<typeof CreateScheduleBody>

/** The dashboard's figures (`GET /api/v1/dashboard`): cash as of a date and the last months' income. */
export type DashboardSummary = z.output<typeof DashboardSummaryResponse>
export type DashboardMonth = DashboardSummary['months'][number]
