/**
 * A compared statement's files for people: the subtotals in bold order, the comparative columns,
 * and negatives (figures and percentages) as the organisation writes them.
 */
import { execFileSync } from 'node:child_process'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { incomeStatementTable, renderReport, type RenderOptions } from '../../server/domain/reports/export'
import type { Comparison, IncomeStatement, Section } from '../../server/domain/reports/statements'

function pdfText(body: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: body }).toString('utf8')
}

const compared = (amount: string, variance: string, variancePercent: string | null): Comparison => ({ amount, variance, variancePercent })
const empty: Section = { rows: [], total: '0.00', totalComparison: compared('0.00', '0.00', null) }
const account = (code: string, name: string, amount: string, comparison: Comparison) => ({ accountId: code, code, name, subtype: 'x', amount, drillDown: null, comparison })

// Revenue 5,000 against 4,000; cost of sales 2,000 against 1,500; rent 1,000 against nothing.
const statement = {
  from: '2026-10-01', to: '2026-10-31', currency: 'USD',
  revenue: { rows: [], total: '5000.00' }, expenses: { rows: [], total: '3000.00' }, netIncome: '2000.00',
  sections: {
    revenue: { rows: [account('4000', 'Sales', '5000.00', compared('4000.00', '1000.00', '25.0'))], total: '5000.00', totalComparison: compared('4000.00', '1000.00', '25.0') },
    costOfSales: { rows: [account('5000', 'Cost of goods sold', '2000.00', compared('1500.00', '500.00', '33.3'))], total: '2000.00', totalComparison: compared('1500.00', '500.00', '33.3') },
    operatingExpenses: { rows: [account('6100', 'Rent', '1000.00', compared('0.00', '1000.00', null))], total: '1000.00', totalComparison: compared('0.00', '1000.00', null) },
    otherIncome: empty,
    otherExpenses: empty,
  },
  subtotals: {
    grossProfit: { amount: '3000.00', comparison: compared('2500.00', '500.00', '20.0') },
    operatingProfit: { amount: '2000.00', comparison: compared('2500.00', '-500.00', '-20.0') },
    netIncome: { amount: '2000.00', comparison: compared('2500.00', '-500.00', '-20.0') },
  },
  comparison: { basis: 'previous-period', from: '2026-09-01', to: '2026-09-30' },
} as IncomeStatement

const parentheses: RenderOptions = { settings: { dateFormat: 'DD.MM.YYYY', negativeStyle: 'parentheses' } }

describe('a compared income statement as a file', () => {
  it('PDF: both periods in the heading, the subtotals after their sections, negatives in parentheses', async () => {
    const text = pdfText((await renderReport('pdf', incomeStatementTable(statement), parentheses)).body)
    expect(text).toContain('01.10.2026 to 31.10.2026, compared with 01.09.2026 to 30.09.2026 (USD)')
    expect(text).toMatch(/Amount\s+Comparative\s+Variance\s+Variance %/)
    const lines = text.split('\n')
    const at = (re: RegExp) => lines.findIndex(l => re.test(l))
    expect(at(/Total cost of sales/)).toBeLessThan(at(/Gross profit/))
    expect(at(/Gross profit/)).toBeLessThan(at(/Operating expenses\s*$/))
    expect(at(/Total operating expenses/)).toBeLessThan(at(/Operating profit/))
    expect(text).toMatch(/Gross profit\s+3,000\.00\s+2,500\.00\s+500\.00\s+20\.0/)
    expect(text).toMatch(/Operating profit\s+2,000\.00\s+2,500\.00\s+\(500\.00\)\s+\(20\.0\)/)
    // Against zero the percentage is blank (and so is the zero comparative).
    expect(text).toMatch(/Rent\s+1,000\.00\s+1,000\.00\s*$/m)
    // Empty sections are left out; their subtotals are not.
    expect(text).not.toContain('Other income')
    expect(text).toMatch(/Net income\s+2,000\.00/)
  })

  it('XLSX: numbers, the variance % with one decimal, negatives in the organisation\'s style', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await renderReport('xlsx', incomeStatementTable(statement), parentheses)).body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.getRow(4).values).toEqual([undefined, 'Section', 'Code', 'Account', 'Amount', 'Comparative', 'Variance', 'Variance %'])
    let net: ExcelJS.Row | undefined
    sheet.eachRow((row) => {
      if (row.getCell(3).value === 'Net income') net = row
    })
    expect([4, 5, 6, 7].map(i => net!.getCell(i).value)).toEqual([2000, 2500, -500, -20])
    expect(sheet.getColumn(7).numFmt).toBe('#,##0.0;(#,##0.0)')
    expect(sheet.getColumn(6).numFmt).toBe('#,##0.00;(#,##0.00)')
  })
})

describe('an income statement by month as a file', () => {
  // Twelve months of 1,234,567.89 sales and (1,234,567.89) net income, and the year's total.
  const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
  const plain = (amount: string): Section => ({ rows: [{ accountId: '4000', code: '4000', name: 'Sales', subtype: 'x', amount, drillDown: null }], total: amount })
  const none: Section = { rows: [], total: '0.00' }
  const period = (amount: string, loss: string) => ({
    sections: { revenue: plain(amount), costOfSales: none, operatingExpenses: none, otherIncome: none, otherExpenses: none },
    subtotals: { grossProfit: { amount }, operatingProfit: { amount }, netIncome: { amount: loss } },
  })
  const byMonth = {
    from: '2026-01-01', to: '2026-12-31', currency: 'USD', revenue: none, expenses: none, netIncome: '-14814814.68',
    ...period('14814814.68', '-14814814.68'),
    columns: { by: 'month', periods: months.map((m, i) => ({ from: `${m}-01`, to: `${m}-28`, label: `M${i + 1}`, ...period('1234567.89', '-1234567.89') })) },
  } as IncomeStatement

  it('has a column per month and a Total column, printed across the page with every figure on one line', async () => {
    const table = incomeStatementTable(byMonth)
    expect(table.columns.map(c => c.label)).toEqual(['Section', 'Code', 'Account', ...months.map((_, i) => `M${i + 1}`), 'Total'])
    expect(table.rows.find(r => r[2] === 'Net income')).toEqual(['', '', 'Net income', ...months.map(() => '-1234567.89'), '-14814814.68'])
    const pdf = await renderReport('pdf', table, parentheses)
    const [, width, height] = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.body.toString('latin1'))!
    expect(Number(width)).toBeGreaterThan(Number(height))
    const net = pdfText(pdf.body).split('\n').find(l => l.includes('Net income'))!
    expect(net.match(/\(1,234,567\.89\)/g)).toHaveLength(12)
    expect(net).toContain('(14,814,814.68)')
  })
})
