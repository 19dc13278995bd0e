/**
 * Report files: every report is first laid out as one table (title, columns, rows of strings),
 * then written as CSV (RFC 4180, by hand), XLSX (exceljs) or PDF (pdfkit). Amounts stay decimal
 * strings until the file: the XLSX cells get the number only for the spreadsheet to add them up.
 */
import Workbook from 'exceljs/lib/doc/workbook.js'
import PDFDocument from 'pdfkit'
import type { BalanceSheet, CashFlow, GeneralLedger, IncomeStatement, Section, TrialBalance } from './statements'

export type ReportFormat = 'csv' | 'xlsx' | 'pdf'

export interface ReportColumn {
  label: string
  /** Amount columns are right-aligned and become number cells in XLSX. */
  amount?: boolean
  /** Relative width of a text column in the PDF (default 1). */
  weight?: number
}

export interface ReportTable {
  /** File name stem, e.g. `trial-balance-2026-11-30`. */
  name: string
  title: string
  subtitle: string
  columns: ReportColumn[]
  rows: string[][]
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
    columns: [{ label: 'Date' }, { label: 'Number' }, { label: 'Memo', weight: 4 }, { label: 'Debit', amount: true }, { label: 'Credit', amount: true }, { label: 'Balance', amount: true }],
    rows: [
      ['', '', 'Opening balance', '', '', r.openingBalance],
      ...r.rows.map(row => [row.date, row.number === null ? '' : String(row.number), row.description ? `${row.memo} — ${row.description}` : row.memo, row.debit, row.credit, row.balance]),
      ['', '', 'Closing balance', '', '', r.closingBalance],
    ],
  }
}

function sectionRows(label: string, s: Section, totalLabel: string): string[][] {
  return [
    ...s.rows.map(row => [label, row.code ?? '', row.name, row.amount]),
    [label, '', totalLabel, s.total],
  ]
}

const sectionColumns: ReportColumn[] = [{ label: 'Section', weight: 1.5 }, { label: 'Code' }, { label: 'Account', weight: 5 }, { label: 'Amount', amount: true }]

export function balanceSheetTable(r: BalanceSheet): ReportTable {
  return {
    name: `balance-sheet-${r.asOf}`,
    title: 'Balance sheet',
    subtitle: `As of ${r.asOf} (${r.currency})`,
    columns: sectionColumns,
    rows: [
      ...sectionRows('Assets', r.assets, 'Total assets'),
      ...sectionRows('Liabilities', r.liabilities, 'Total liabilities'),
      ...sectionRows('Equity', r.equity, 'Total equity'),
      ['', '', 'Total liabilities and equity', r.totalLiabilitiesAndEquity],
    ],
  }
}

export function incomeStatementTable(r: IncomeStatement): ReportTable {
  const c = r.comparative
  if (!c) {
    return {
      name: `income-statement-${r.from}-to-${r.to}`,
      title: 'Income statement',
      subtitle: `${r.from} to ${r.to} (${r.currency})`,
      columns: sectionColumns,
      rows: [
        ...sectionRows('Revenue', r.revenue, 'Total revenue'),
        ...sectionRows('Expenses', r.expenses, 'Total expenses'),
        ['', '', 'Net income', r.netIncome],
      ],
    }
  }
  // Side by side: one row per account found in either period.
  const merge = (label: string, a: Section, b: Section, totalLabel: string) => {
    const keys = new Map<string, [string, string, string, string]>()
    for (const row of a.rows) keys.set(row.accountId ?? row.name, [row.code ?? '', row.name, row.amount, ''])
    for (const row of b.rows) {
      const key = row.accountId ?? row.name
      const found = keys.get(key)
      if (found) found[3] = row.amount
      else keys.set(key, [row.code ?? '', row.name, '', row.amount])
    }
    return [...[...keys.values()].sort((x, y) => x[0].localeCompare(y[0])).map(v => [label, ...v]), [label, '', totalLabel, a.total, b.total]]
  }
  return {
    name: `income-statement-${r.from}-to-${r.to}`,
    title: 'Income statement',
    subtitle: `${r.from} to ${r.to}, compared with ${c.from} to ${c.to} (${r.currency})`,
    columns: [...sectionColumns.slice(0, 3), { label: `${r.from} to ${r.to}`, amount: true }, { label: `${c.from} to ${c.to}`, amount: true }],
    rows: [
      ...merge('Revenue', r.revenue, c.revenue, 'Total revenue'),
      ...merge('Expenses', r.expenses, c.expenses, 'Total expenses'),
      ['', '', 'Net income', r.netIncome, c.netIncome],
    ],
  }
}

export function cashFlowTable(r: CashFlow): ReportTable {
  return {
    name: `cash-flow-${r.from}-to-${r.to}`,
    title: 'Cash-flow statement (indirect method)',
    subtitle: `${r.from} to ${r.to} (${r.currency})`,
    columns: sectionColumns,
    rows: [
      ...sectionRows('Operating', r.operating, 'Net cash from operating activities'),
      ...sectionRows('Investing', r.investing, 'Net cash from investing activities'),
      ...sectionRows('Financing', r.financing, 'Net cash from financing activities'),
      ['', '', 'Net change in cash', r.netChange],
      ['', '', 'Cash at the beginning of the period', r.openingCash],
      ['', '', 'Cash at the end of the period', r.closingCash],
    ],
  }
}

// ---------------------------------------------------------------- writers

/** RFC 4180: fields holding a comma, quote, CR or LF are quoted, quotes doubled; CRLF line ends. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function toCsv(table: ReportTable): string {
  return [table.columns.map(c => c.label), ...table.rows].map(row => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

async function toXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new Workbook()
  workbook.creator = 'Paksa Financial'
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '))
  sheet.addRow([table.title]).font = { bold: true, size: 14 }
  sheet.addRow([table.subtitle])
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
      column.numFmt = '#,##0.00;-#,##0.00'
      column.alignment = { horizontal: 'right' }
    }
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

function toPdf(table: ReportTable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `${table.title} — ${table.subtitle}`, Producer: 'Paksa Financial', Creator: 'Paksa Financial' } })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    const left = doc.page.margins.left
    const width = doc.page.width - left - doc.page.margins.right
    const amountWidth = 80
    const amounts = table.columns.filter(c => c.amount).length
    const weights = table.columns.reduce((s, c) => s + (c.amount ? 0 : c.weight ?? 1), 0)
    const widths = table.columns.map(c => c.amount ? amountWidth : (width - amounts * amountWidth) * (c.weight ?? 1) / Math.max(1, weights))
    const bottom = doc.page.height - doc.page.margins.bottom
    const line = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8)
      const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 4 })), 10)
      if (doc.y + height > bottom) doc.addPage()
      const y = doc.y
      let x = left
      cells.forEach((c, i) => {
        doc.text(c, x, y, { width: widths[i]! - 4, align: table.columns[i]?.amount ? 'right' : 'left' })
        x += widths[i]!
      })
      doc.x = left
      doc.y = y + height + 3
    }
    doc.font('Helvetica-Bold').fontSize(14).text(table.title, left)
    doc.font('Helvetica').fontSize(9).text(table.subtitle, left).moveDown()
    line(table.columns.map(c => c.label), true)
    for (const row of table.rows) line(row, row.some(cell => /^(Total|Net |Opening|Closing|Cash at)/.test(cell)))
    doc.end()
  })
}

export async function renderReport(format: ReportFormat, table: ReportTable): Promise<ReportFile> {
  const body = format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : format === 'xlsx' ? await toXlsx(table) : await toPdf(table)
  return { contentType: MEDIA_TYPES[format], filename: `${table.name}.${format}`, body }
}
