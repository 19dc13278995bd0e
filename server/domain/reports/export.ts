/**
 * Report files: every report is first laid out as one table (title, columns, rows of strings),
 * then written as CSV (RFC 4180, by hand), XLSX (exceljs) or PDF (pdfkit). Amounts stay decimal
 * strings until the file: the XLSX cells get the number only for the spreadsheet to add them up.
 *
 * CSV is for machines: plain decimals and ISO dates under human headers. XLSX and PDF are for
 * people and follow the organisation's settings through shared/format: the PDF writes every
 * figure and date as the organisation does, the XLSX keeps numbers as numbers with a number format
 * mirroring the negative style.
 */
import Workbook from 'exceljs/lib/doc/workbook.js'
import PDFDocument from 'pdfkit'
import { DEFAULT_FORMAT_SETTINGS, formatDate, formatDateTime, formatMoney, spreadsheetNumberFormat, type FormatSettings } from '../../../shared/format'
import type { CashFlow } from './cash-flow'
import { INCOME_SECTIONS, INCOME_SUBTOTALS } from './income-sections'
import type { GeneralLedgerAccounts } from './general-ledgers'
import type { BalanceSheet, Comparison, Figure, GeneralLedger, IncomeStatement, Section, TrialBalance } from './statements'

export type ReportFormat = 'csv' | 'xlsx' | 'pdf'

export interface ReportColumn {
  label: string
  /** Amount columns are right-aligned and become number cells in XLSX. */
  amount?: boolean
  /** Relative width of a text column in the PDF (default 1). */
  weight?: number
  /** Cells are ISO dates (`YYYY-MM-DD`), written in the organisation's date format for people. */
  date?: boolean
  /**
   * Cells name the row's section (Assets, Revenue…): a column in CSV and XLSX, where every row
   * must stand alone; in the PDF a heading with its rows indented beneath instead.
   */
  section?: boolean
}

/** What a report covers, for the subtitle people read: one day, or a range (open at the start). */
export type ReportPeriod = { asOf: string, comparedWith?: string } | { from: string | null, to: string, comparedWith?: { from: string, to: string } }

export interface ReportTable {
  /** File name stem, e.g. `trial-balance-2026-11-30`. */
  name: string
  title: string
  /** The subtitle with ISO dates, for a writer that does not know the period. */
  subtitle: string
  /** With `currency` and `note`, the subtitle in the organisation's date format. */
  period?: ReportPeriod
  currency?: string
  /** Said after the period (`balances on the debit side`). */
  note?: string
  columns: ReportColumn[]
  rows: string[][]
}

/** Who the file is for and by: each is optional, and the defaults make a plain file. */
export interface RenderOptions {
  /** The organisation's formatting; the defaults (shared/format) for what is left out. */
  settings?: Partial<FormatSettings>
  /** The organisation's name, at the head of the PDF and beside the XLSX subtitle. */
  organisation?: string
  /** The person the file is prepared for, in the PDF's footer. */
  preparedBy?: string
  /** When; now by default, shown in the organisation's time zone. */
  preparedAt?: Date
  /** The organisation's logo (a PNG or JPEG checked by inspectLogo), at the head of every PDF. */
  logo?: Buffer
}

export interface ReportFile {
  contentType: string
  filename: string
  body: Buffer
}

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
}

// ---------------------------------------------------------------- tables

export function trialBalanceTable(r: TrialBalance): ReportTable {
  return {
    name: `trial-balance-${r.asOf}`,
    title: 'Trial balance',
    subtitle: `As of ${r.asOf} (${r.currency})`,
    period: { asOf: r.asOf },
    currency: r.currency,
    columns: [{ label: 'Code' }, { label: 'Account', weight: 4 }, { label: 'Type' }, { label: 'Debit', amount: true }, { label: 'Credit', amount: true }, { label: 'Abnormal' }],
    rows: [
      ...r.rows.map(row => [row.code, row.name, row.type, row.debit, row.credit, row.abnormal ? 'yes' : '']),
      ['', 'Total', '', r.totals.debit, r.totals.credit, ''],
    ],
  }
}

export function generalLedgerTable(r: GeneralLedger): ReportTable {
  const range = `${r.from ?? 'start'}-to-${r.to}`
  return {
    name: `general-ledger-${r.account.code}-${range}`,
    title: `General ledger: ${r.account.code} ${r.account.name}`,
    subtitle: `${r.from ?? 'From the first posting'} to ${r.to} (${r.currency}); balances on the ${r.account.normalBalance} side`,
    period: { from: r.from, to: r.to },
    currency: r.currency,
    note: `balances on the ${r.account.normalBalance} side`,
    columns: [{ label: 'Date', date: true, weight: 1.4 }, { label: 'Number' }, { label: 'Memo', weight: 4 }, { label: 'Debit', amount: true }, { label: 'Credit', amount: true }, { label: 'Balance', amount: true }],
    rows: [
      ['', '', 'Opening balance', '', '', r.openingBalance],
      ...r.rows.map(row => [row.date, row.number === null ? '' : String(row.number), row.description ? `${row.memo} — ${row.description}` : row.memo, row.debit, row.credit, row.balance]),
      ['', '', 'Closing balance', '', '', r.closingBalance],
    ],
  }
}

/** The account range a ledger of many accounts covers, as its file name and title say it. */
function codeRange(r: Pick<GeneralLedgerAccounts, 'fromCode' | 'toCode'>): { name: string, title: string } {
  if (!r.fromCode && !r.toCode) return { name: 'all-accounts', title: 'all accounts' }
  return { name: `${r.fromCode ?? 'first'}-to-${r.toCode ?? 'last'}`, title: `accounts ${r.fromCode ?? 'from the first'} to ${r.toCode ?? 'the last'}` }
}

/** The columns of a ledger of many accounts: the account as a section (a heading in the PDF), then one account's columns. */
export const ledgerAccountsColumns: ReportColumn[] = [
  { label: 'Account', weight: 2, section: true },
  { label: 'Date', date: true, weight: 1.4 }, { label: 'Number' }, { label: 'Memo', weight: 4 },
  { label: 'Debit', amount: true }, { label: 'Credit', amount: true }, { label: 'Balance', amount: true },
]

/** The head of a ledger of many accounts (everything but the rows), shared by the whole and the streamed file. */
export function generalLedgerAccountsHead(r: Omit<GeneralLedgerAccounts, 'accounts' | 'page' | 'pageSize' | 'total' | 'accountCount'>): Omit<ReportTable, 'rows'> {
  const range = codeRange(r)
  return {
    name: `general-ledger-${range.name}-${r.from ?? 'start'}-to-${r.to}`,
    title: `General ledger: ${range.title}`,
    subtitle: `${r.from ?? 'From the first posting'} to ${r.to} (${r.currency}); each account's balances on its normal side`,
    period: { from: r.from, to: r.to },
    currency: r.currency,
    note: 'each account\'s balances on its normal side',
    columns: ledgerAccountsColumns,
  }
}

/** The label of an account's section: `1000 Cash`. */
export const ledgerSectionLabel = (a: { code: string, name: string }) => `${a.code} ${a.name}`

/** A ledger line's cells after the account's: date, number, memo, debit, credit, balance. */
export function ledgerLineCells(row: { date: string, number: number | null, memo: string, description: string | null, debit: string, credit: string }, balance: string): string[] {
  return [row.date, row.number === null ? '' : String(row.number), row.description ? `${row.memo} — ${row.description}` : row.memo, row.debit, row.credit, balance]
}

/** Every account of the range as a section: opening balance, its lines, closing balance. */
export function generalLedgerAccountsTable(r: GeneralLedgerAccounts): ReportTable {
  return {
    ...generalLedgerAccountsHead(r),
    rows: r.accounts.flatMap((s) => {
      const label = ledgerSectionLabel(s.account)
      return [
        [label, '', '', 'Opening balance', '', '', s.openingBalance],
        ...s.rows.map(row => [label, ...ledgerLineCells(row, row.balance)]),
        [label, '', '', 'Closing balance', '', '', s.closingBalance],
      ]
    }),
  }
}

function sectionRows(label: string, s: Section, totalLabel: string): string[][] {
  return [
    ...s.rows.map(row => [label, row.code ?? '', row.name, row.amount]),
    [label, '', totalLabel, s.total],
  ]
}

const sectionColumns: ReportColumn[] = [{ label: 'Section', weight: 1.5, section: true }, { label: 'Code' }, { label: 'Account', weight: 5 }, { label: 'Amount', amount: true }]

/** A compared figure's cells: comparative amount, variance, variance % (blank when the comparative is zero). */
function comparisonCells(c: Comparison | undefined): string[] {
  return c ? [c.amount, c.variance, c.variancePercent ?? ''] : ['', '', '']
}

/**
 * The columns of a compared statement: Section, Code, Account, then the amounts. The headings
 * name no dates (the subtitle gives both periods in the organisation's date format).
 */
const comparedColumns: ReportColumn[] = [
  ...sectionColumns.slice(0, 3),
  { label: 'Amount', amount: true }, { label: 'Comparative', amount: true },
  { label: 'Variance', amount: true }, { label: 'Variance %', amount: true },
]

/** A section's rows and total, with the comparison cells when `compared`. */
function comparedSectionRows(label: string, s: Section, totalLabel: string, compared: boolean): string[][] {
  if (!compared) return sectionRows(label, s, totalLabel)
  return [
    ...s.rows.map(row => [label, row.code ?? '', row.name, row.amount, ...comparisonCells(row.comparison)]),
    [label, '', totalLabel, s.total, ...comparisonCells(s.totalComparison)],
  ]
}

function figureRow(label: string, f: Figure, compared: boolean): string[] {
  return ['', '', label, f.amount, ...(compared ? comparisonCells(f.comparison) : [])]
}

export function balanceSheetTable(r: BalanceSheet): ReportTable {
  if (r.columns) return balanceSheetColumnsTable(r, r.columns)
  const c = r.comparison
  const compared = !!c
  return {
    name: `balance-sheet-${r.asOf}${c ? `-vs-${c.asOf}` : ''}`,
    title: 'Balance sheet',
    subtitle: `As of ${r.asOf}${c ? `, compared with ${c.asOf}` : ''} (${r.currency})`,
    period: { asOf: r.asOf, ...(c ? { comparedWith: c.asOf } : {}) },
    currency: r.currency,
    columns: c ? comparedColumns : sectionColumns,
    rows: [
      ...comparedSectionRows('Assets', r.assets, 'Total assets', compared),
      ...comparedSectionRows('Liabilities', r.liabilities, 'Total liabilities', compared),
      ...comparedSectionRows('Equity', r.equity, 'Total equity', compared),
      figureRow('Total liabilities and equity', { amount: r.totalLiabilitiesAndEquity, ...(c ? { comparison: c.totalLiabilitiesAndEquity } : {}) }, compared),
    ],
  }
}

/** The balance sheet as of each month or quarter end: a column per period end, the last as of `asOf`. */
function balanceSheetColumnsTable(r: BalanceSheet, columns: NonNullable<BalanceSheet['columns']>): ReportTable {
  const periods = columns.periods
  const rowKey = (row: Section['rows'][number]) => row.accountId ?? row.name
  const sectionOf = (key: 'assets' | 'liabilities' | 'equity', title: string): string[][] => {
    const byPeriod = periods.map(p => new Map(p[key].rows.map(row => [rowKey(row), row.amount])))
    return [
      ...r[key].rows.map(row => [title, row.code ?? '', row.name, ...byPeriod.map(m => m.get(rowKey(row)) ?? '')]),
      [title, '', `Total ${title.toLowerCase()}`, ...periods.map(p => p[key].total)],
    ]
  }
  return {
    name: `balance-sheet-${columns.from}-to-${r.asOf}-by-${columns.by}`,
    title: `Balance sheet by ${columns.by} end`,
    subtitle: `As of each ${columns.by} end, ${columns.from} to ${r.asOf} (${r.currency})`,
    period: { from: columns.from, to: r.asOf },
    currency: r.currency,
    note: `as of each ${columns.by} end`,
    columns: [...sectionColumns.slice(0, 3), ...periods.map(p => ({ label: p.label, amount: true }))],
    rows: [
      ...sectionOf('assets', 'Assets'),
      ...sectionOf('liabilities', 'Liabilities'),
      ...sectionOf('equity', 'Equity'),
      ['', '', 'Total liabilities and equity', ...periods.map(p => p.totalLiabilitiesAndEquity)],
    ],
  }
}

/**
 * The income statement by section (./income-sections.ts) with gross profit, operating profit and
 * net income after the sections they close; a section without rows is left out, its subtotal
 * stays. Compared, each row has the comparative amount, variance and variance %.
 */
export function incomeStatementTable(r: IncomeStatement): ReportTable {
  if (r.columns) return incomeStatementColumnsTable(r, r.columns)
  const c = r.comparison
  const compared = !!c
  const rows: string[][] = []
  for (const s of INCOME_SECTIONS) {
    const section = r.sections[s.key]
    if (section.rows.length) rows.push(...comparedSectionRows(s.title, section, `Total ${s.title.toLowerCase()}`, compared))
    for (const t of INCOME_SUBTOTALS.filter(t => t.after === s.key)) rows.push(figureRow(t.title, r.subtotals[t.key], compared))
  }
  return {
    name: `income-statement-${r.from}-to-${r.to}`,
    title: 'Income statement',
    subtitle: `${r.from} to ${r.to}${c ? `, compared with ${c.from} to ${c.to}` : ''} (${r.currency})`,
    period: { from: r.from, to: r.to, ...(c ? { comparedWith: { from: c.from, to: c.to } } : {}) },
    currency: r.currency,
    columns: c ? comparedColumns : sectionColumns,
    rows,
  }
}

/**
 * The income statement with a column per month or quarter and a Total column: the same sections,
 * rows and subtotals as the single statement, each row's amount in every period.
 */
function incomeStatementColumnsTable(r: IncomeStatement, columns: NonNullable<IncomeStatement['columns']>): ReportTable {
  const periods = columns.periods
  const rows: string[][] = []
  const rowKey = (row: Section['rows'][number]) => row.accountId ?? row.name
  for (const s of INCOME_SECTIONS) {
    const section = r.sections[s.key]
    if (section.rows.length) {
      const byPeriod = periods.map(p => new Map(p.sections[s.key].rows.map(row => [rowKey(row), row.amount])))
      for (const row of section.rows) rows.push([s.title, row.code ?? '', row.name, ...byPeriod.map(m => m.get(rowKey(row)) ?? ''), row.amount])
      rows.push([s.title, '', `Total ${s.title.toLowerCase()}`, ...periods.map(p => p.sections[s.key].total), section.total])
    }
    for (const t of INCOME_SUBTOTALS.filter(t => t.after === s.key)) rows.push(['', '', t.title, ...periods.map(p => p.subtotals[t.key].amount), r.subtotals[t.key].amount])
  }
  return {
    name: `income-statement-${r.from}-to-${r.to}-by-${columns.by}`,
    title: `Income statement by ${columns.by}`,
    subtitle: `${r.from} to ${r.to} (${r.currency})`,
    period: { from: r.from, to: r.to },
    currency: r.currency,
    columns: [...sectionColumns.slice(0, 3), ...periods.map(p => ({ label: p.label, amount: true })), { label: 'Total', amount: true }],
    rows,
  }
}

export function cashFlowTable(r: CashFlow): ReportTable {
  return {
    name: `cash-flow-${r.from}-to-${r.to}`,
    title: 'Cash-flow statement (indirect method)',
    subtitle: `${r.from} to ${r.to} (${r.currency})`,
    period: { from: r.from, to: r.to },
    currency: r.currency,
    columns: sectionColumns,
    rows: [
      ...sectionRows('Operating', r.operating, 'Net cash from operating activities'),
      ...sectionRows('Investing', r.investing, 'Net cash from investing activities'),
      ...sectionRows('Financing', r.financing, 'Net cash from financing activities'),
      ['', '', 'Net change in cash', r.netChange],
      ['', '', 'Cash at the beginning of the period', r.openingCash],
      ['', '', 'Cash at the end of the period', r.closingCash],
      // Disclosed below the statement, outside every total (IAS 7.43).
      ...r.noncashActivities.map(n => ['Noncash investing and financing activities', '', `${n.memo} (entry ${n.number ?? '–'} of ${n.date})`, n.amount]),
    ],
  }
}

// ---------------------------------------------------------------- writers

/** A figure as the files write it: `-1,234.56`, `(12.50)`, `12%` — never mistaken for a formula. */
const FIGURE = /^[-+(]?\d[\d,]*(\.\d+)?\)?%?$/

/**
 * One CSV field. A text a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a
 * tab or a CR, after any spaces (OWASP "CSV injection": a customer named `=HYPERLINK(…)`) — gets a
 * leading apostrophe, unless it is a figure (`-12.50` stays a number) in a column that may hold one
 * (`text: true`: a column of names, where even `-2` is text). Then RFC 4180: fields holding a comma,
 * quote, CR or LF are quoted, quotes doubled; CRLF line ends.
 */
export function csvField(value: string, options: { text?: boolean } = {}): string {
  const safe = /^\s*[=+\-@\t\r]/.test(value) && (options.text || !FIGURE.test(value.trim())) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsv(table: ReportTable): string {
  return [table.columns.map(c => c.label), ...table.rows].map(row => row.map(v => csvField(v)).join(',')).join('\r\n') + '\r\n'
}

/** The formatting settings with the defaults filled in. */
function settingsOf(options: RenderOptions): FormatSettings {
  return { ...DEFAULT_FORMAT_SETTINGS, ...options.settings }
}

/**
 * The subtitle people read: the period in the organisation's date format and the currency
 * (`As of 30 Nov 2026 (USD)`); the table's own subtitle for a table without a period.
 */
export function periodLabel(table: Pick<ReportTable, 'subtitle' | 'period' | 'currency' | 'note'>, settings: Partial<FormatSettings> = {}): string {
  const period = table.period
  if (!period) return table.subtitle
  const date = (iso: string) => formatDate(iso, settings.dateFormat ?? DEFAULT_FORMAT_SETTINGS.dateFormat)
  let text = 'asOf' in period
    ? `As of ${date(period.asOf)}${period.comparedWith ? `, compared with ${date(period.comparedWith)}` : ''}`
    : `${period.from ? date(period.from) : 'From the first posting'} to ${date(period.to)}`
  if (!('asOf' in period) && period.comparedWith) text += `, compared with ${date(period.comparedWith.from)} to ${date(period.comparedWith.to)}`
  if (table.currency) text += ` (${table.currency})`
  return table.note ? `${text}; ${table.note}` : text
}

/** Decimal places of an amount column: the most any of its figures has (the currency's minor unit). */
function amountPlaces(table: ReportTable, column: number): number {
  let places = 0
  for (const row of table.rows) {
    const cell = row[column] ?? ''
    const dot = cell.indexOf('.')
    if (dot >= 0) places = Math.max(places, cell.length - dot - 1)
  }
  return table.rows.length ? places : 2
}

async function toXlsx(table: ReportTable, options: RenderOptions): Promise<Buffer> {
  const settings = settingsOf(options)
  const workbook = new Workbook()
  workbook.creator = 'Paksa Financial'
  if (options.organisation) workbook.company = options.organisation
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '))
  sheet.addRow([table.title]).font = { bold: true, size: 14 }
  sheet.addRow([[options.organisation, periodLabel(table, settings)].filter(Boolean).join(' · ')])
  sheet.addRow([])
  const header = sheet.addRow(table.columns.map(c => c.label))
  header.font = { bold: true }
  for (const row of table.rows) {
    // An amount cell is a spreadsheet number for display and sums; the figures themselves were
    // computed as decimals and are exact at the currency's minor unit.
    sheet.addRow(row.map((value, i) => table.columns[i]?.amount && value !== '' ? Number(value) : value))
  }
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1)
    column.width = c.amount ? 16 : Math.min(48, Math.max(10, ...table.rows.map(r => (r[i] ?? '').length + 2)))
    if (c.amount) {
      column.numFmt = spreadsheetNumberFormat(settings.negativeStyle, amountPlaces(table, i))
      column.alignment = { horizontal: 'right' }
    }
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const TOTAL_ROW = /^(Total|Net |Gross profit|Operating profit|Opening|Closing|Cash at)/
const INDENT = 12
/** The logo's box at the head of the first page: drawn this high, or narrower for a wide logo. */
export const LOGO_HEIGHT = 36
export const LOGO_MAX_WIDTH = 160

/**
 * The organisation's logo (a PNG or JPEG checked by inspectLogo) fitted into a box of `width` ×
 * `height` at (x, y), keeping its proportions, against the box's `align` side: the one logo
 * drawing of every PDF (reports at the head's right, sales documents at the top left).
 */
export function drawLogo(doc: PDFKit.PDFDocument, logo: Buffer, x: number, y: number, box: { width: number, height: number, align: 'left' | 'right' }): void {
  doc.image(logo, x, y, { fit: [box.width, box.height], ...(box.align === 'right' ? { align: 'right' as const } : {}) })
}

/** Runs `write` on a fresh PDF document and answers the finished file's bytes. */
export function pdfBytes(doc: PDFKit.PDFDocument, write: () => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    try {
      write()
    }
    catch (err) {
      reject(err)
    }
  })
}
const FOOTER_SIZE = 7
/** Width of the footer's page number ("Page 12345 of 12345" fits), at the right margin. */
const PAGE_NUMBER_WIDTH = 72

/** A PDF being written row by row: `doc` is the file's byte stream, for the caller to collect or pipe. */
export interface PdfTableWriter {
  doc: PDFKit.PDFDocument
  /** Lays out rows, starting pages as they fill; a finished page is written out (not kept). */
  rows: (rows: string[][]) => void
  /** Finishes the last page and the page count, and ends the document. */
  end: () => void
}

/**
 * The PDF every report shares, whole or streamed: the organisation, the report's title and period
 * at the head; figures in the organisation's number format with `places[i]` decimals in amount
 * column i, right-aligned, zero cells blank; dates in its date format; sections as headings with
 * their rows indented (no Section column); the column headings again on every page; "Prepared by
 * … on …" and "Page x of y" in every page's footer.
 *
 * Pages are written out as they fill, so memory stays bounded however many rows follow. The page
 * count is not known until the end: every footer shows one small form object ("y"), whose content
 * is written last — the PDF way of a forward reference.
 */
export function pdfTableWriter(table: Omit<ReportTable, 'rows'>, options: RenderOptions, places: number[]): PdfTableWriter {
  const settings = settingsOf(options)
  const heading = periodLabel(table, settings)
  // A table of many figure columns (a statement by month) is printed across the page, its figures narrower and smaller.
  const amounts = table.columns.filter(c => c.amount && !c.section).length
  const doc = new PDFDocument({
    size: 'A4', layout: amounts > 5 ? 'landscape' : 'portrait', margins: { top: 40, left: 40, right: 40, bottom: 56 },
    info: { Title: `${table.title} — ${heading}`, Producer: 'Paksa Financial', Creator: 'Paksa Financial', ...(options.organisation ? { Author: options.organisation } : {}) },
  })
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const shown = table.columns.map((c, i) => ({ ...c, index: i })).filter(c => !c.section)
  const sectionAt = table.columns.findIndex(c => c.section)
  const amountWidth = Math.min(80, (width * 0.8) / Math.max(1, amounts))
  // The type that fits a nine-figure negative in a figure column: 8 pt in any column of 80, less in narrower ones.
  doc.font('Helvetica-Bold').fontSize(1)
  const bodySize = Math.max(5, Math.min(8, Math.floor(((amountWidth - 4) / doc.widthOfString('(99,999,999.99)')) * 2) / 2))
  const weights = shown.reduce((s, c) => s + (c.amount ? 0 : c.weight ?? 1), 0)
  const widths = shown.map(c => c.amount ? amountWidth : (width - amounts * amountWidth) * (c.weight ?? 1) / Math.max(1, weights))
  const bottom = () => doc.page.height - doc.page.margins.bottom
  const cellText = (row: string[], column: typeof shown[number]) => {
    const value = row[column.index] ?? ''
    if (column.amount) return formatMoney(value, { ...settings, places: places[column.index] ?? 2, blankZero: true })
    if (column.date) return formatDate(value, settings.dateFormat) || value
    return value
  }

  // The footer: who and when on the left, "Page x of" and the shared count on the right.
  const preparedAt = formatDateTime(options.preparedAt ?? new Date(), settings.dateFormat, { timeZone: settings.timeZone })
  const prepared = `Prepared${options.preparedBy ? ` by ${options.preparedBy}` : ''} on ${preparedAt} (${settings.timeZone})`
  const font = doc.ref({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' })
  font.end(undefined)
  const pageCount = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, -FOOTER_SIZE, PAGE_NUMBER_WIDTH, FOOTER_SIZE * 2], Resources: { Font: { F: font } } })
  let pages = 1
  const footer = () => {
    // Written inside the bottom margin: lift it so pdfkit does not start a new page for the footer.
    const margin = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const baseline = doc.page.height - margin + 20 + FOOTER_SIZE
    doc.font('Helvetica').fontSize(FOOTER_SIZE).fillColor('#555555')
    doc.text(prepared, left, baseline, { width: width - PAGE_NUMBER_WIDTH - 8, lineBreak: false, baseline: 'alphabetic' })
    const label = `Page ${pages} of `
    const x = left + width - PAGE_NUMBER_WIDTH
    doc.text(label, x, baseline, { lineBreak: false, baseline: 'alphabetic' })
    doc.page.xobjects.PageCount = pageCount
    // The form is drawn upright at the baseline (pdfkit's user space is flipped: y grows downwards).
    doc.addContent(`q 1 0 0 -1 ${x + doc.widthOfString(label)} ${baseline} cm /PageCount Do Q`)
    doc.fillColor('black')
    doc.page.margins.bottom = margin
  }

  // Rows under a section heading are indented in the label column (the widest text column).
  const label = shown.reduce((best, c, i) => !c.amount && (c.weight ?? 1) > (shown[best]!.weight ?? 1) ? i : best, 0)
  const line = (cells: string[], bold: boolean, indent = 0, header = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bodySize)
    const cellWidth = (i: number) => widths[i]! - 4 - (i === label ? indent : 0)
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cellWidth(i) })), 10)
    if (!header && doc.y + height > bottom()) {
      footer()
      doc.addPage()
      pages++
      columnHeadings()
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bodySize)
    }
    const y = doc.y
    let x = left
    cells.forEach((c, i) => {
      doc.text(c, x + (i === label ? indent : 0), y, { width: cellWidth(i), align: shown[i]?.amount ? 'right' : 'left' })
      x += widths[i]!
    })
    doc.x = left
    doc.y = y + height + 3
  }
  const columnHeadings = () => {
    line(shown.map(c => c.label), true, 0, true)
    doc.moveTo(left, doc.y - 1.5).lineTo(left + width, doc.y - 1.5).lineWidth(0.5).strokeColor('#999999').stroke()
  }

  // The head: the organisation, the title and the period on the left, the logo at the right.
  const top = doc.y
  const headWidth = options.logo ? width - LOGO_MAX_WIDTH - 12 : width
  if (options.logo) drawLogo(doc, options.logo, left + width - LOGO_MAX_WIDTH, top, { width: LOGO_MAX_WIDTH, height: LOGO_HEIGHT, align: 'right' })
  doc.x = left
  doc.y = top
  if (options.organisation) doc.font('Helvetica-Bold').fontSize(10).fillColor('#444444').text(options.organisation, left, top, { width: headWidth }).fillColor('black')
  doc.font('Helvetica-Bold').fontSize(14).text(table.title, left, undefined, { width: headWidth })
  doc.font('Helvetica').fontSize(9).text(heading, left, undefined, { width: headWidth }).moveDown()
  if (options.logo) doc.y = Math.max(doc.y, top + LOGO_HEIGHT + 9)
  columnHeadings()
  let section = ''
  return {
    doc,
    rows(rows) {
      for (const row of rows) {
        const rowSection = sectionAt >= 0 ? row[sectionAt] ?? '' : ''
        if (rowSection && rowSection !== section) {
          doc.y += 3
          line(shown.map((_, i) => i === label ? rowSection : ''), true)
        }
        section = rowSection
        const total = row.some(cell => TOTAL_ROW.test(cell))
        line(shown.map(c => cellText(row, c)), total, rowSection && !total ? INDENT : 0)
      }
    },
    end() {
      footer()
      pageCount.end(`BT /F ${FOOTER_SIZE} Tf 0.333 0.333 0.333 rg 0 0 Td (${pages}) Tj ET`)
      doc.end()
    },
  }
}

/** A whole table as a PDF, on the base; amount columns get the decimals their figures have. */
function toPdf(table: ReportTable, options: RenderOptions): Promise<Buffer> {
  const pdf = pdfTableWriter(table, options, table.columns.map((c, i) => c.amount ? amountPlaces(table, i) : 0))
  return pdfBytes(pdf.doc, () => {
    pdf.rows(table.rows)
    pdf.end()
  })
}

/**
 * A report table as a file. `options` (the organisation's settings, its name, who prepared the
 * file and when) shape the XLSX and PDF; the CSV stays the same machine-readable file.
 */
export async function renderReport(format: ReportFormat, table: ReportTable, options: RenderOptions = {}): Promise<ReportFile> {
  const body = format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : format === 'xlsx' ? await toXlsx(table, options) : await toPdf(table, options)
  return { contentType: MEDIA_TYPES[format], filename: `${table.name}.${format}`, body }
}
