/**
 * The PDF every statement shares (server/domain/reports/export.ts), read back with pdftotext
 * (poppler-utils): the organisation and the period at the head, figures in the organisation's
 * number format with blank zero cells, sections as headings instead of a column, and the footer.
 */
import { execFileSync } from 'node:child_process'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { balanceSheetTable, renderReport, type RenderOptions } from '../../server/domain/reports/export'
import type { BalanceSheet } from '../../server/domain/reports/statements'

function pdfText(body: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: body }).toString('utf8')
}

const row = (code: string, name: string, amount: string) => ({ accountId: code, code, name, subtype: 'x', amount, drillDown: null })
const sheet: BalanceSheet = {
  asOf: '2026-11-30', currency: 'USD',
  assets: { rows: [row('1000', 'Cash', '1234567.89'), row('1100', 'Receivables', '0.00'), row('1500', 'Equipment', '-2.50')], total: '1234565.39' },
  liabilities: { rows: [row('2000', 'Payables', '1000.00')], total: '1000.00' },
  equity: { rows: [row('3000', 'Capital', '1233565.39')], total: '1233565.39' },
  totalLiabilitiesAndEquity: '1234565.39',
} as unknown as BalanceSheet

const acme: RenderOptions = {
  organisation: 'Acme Holdings Ltd',
  preparedBy: 'Olivia Owner',
  preparedAt: new Date('2026-11-30T23:30:00Z'),
  settings: { dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', negativeStyle: 'parentheses', timeZone: 'Europe/Berlin' },
}

describe('statement PDF', () => {
  it('heads with the organisation, title and period in the organisation\'s date format', async () => {
    const text = pdfText((await renderReport('pdf', balanceSheetTable(sheet), acme)).body)
    expect(text).toContain('Acme Holdings Ltd')
    expect(text).toContain('Balance sheet')
    expect(text).toContain('As of 30.11.2026 (USD)')
  })

  it('writes figures in the number format, negatives in parentheses, zero cells blank', async () => {
    const text = pdfText((await renderReport('pdf', balanceSheetTable(sheet), acme)).body)
    expect(text).toMatch(/Cash\s+1\.234\.567,89/)
    expect(text).toMatch(/Equipment\s+\(2,50\)/)
    expect(text).toMatch(/Receivables\s*\n/)
    expect(text).not.toMatch(/(^|\s)0,00/m)
    expect(text).not.toContain('1234567.89')
  })

  it('shows sections as headings with their rows indented, not as a Section column', async () => {
    const text = pdfText((await renderReport('pdf', balanceSheetTable(sheet), acme)).body)
    expect(text).not.toMatch(/Section/)
    const lines = text.split('\n')
    const indexOf = (re: RegExp) => lines.findIndex(l => re.test(l))
    expect(indexOf(/^\s*Assets\s*$/)).toBeGreaterThan(-1)
    expect(indexOf(/^\s*Assets\s*$/)).toBeLessThan(indexOf(/Cash/))
    expect(indexOf(/Liabilities\s*$/)).toBeLessThan(indexOf(/Payables/))
    const column = (re: RegExp) => lines[indexOf(re)]!.search(re)
    expect(column(/Cash/)).toBeGreaterThan(column(/Total assets/))
  })

  it('says who prepared it and when (in the organisation\'s zone), and numbers the pages', async () => {
    const many = { ...sheet, assets: { ...sheet.assets, rows: Array.from({ length: 150 }, (_, i) => row(String(1000 + i), `Account ${i}`, `${i}.00`)) } } as BalanceSheet
    const text = pdfText((await renderReport('pdf', balanceSheetTable(many), acme)).body)
    expect(text).toContain('Prepared by Olivia Owner on 01.12.2026 00:30 (Europe/Berlin)')
    expect(text).toContain('Page 1 of 3')
    expect(text).toContain('Page 3 of 3')
    // The column headings start every page again.
    expect(text.split('\n').filter(l => /^\s*Code\s+Account\s+Amount\s*$/.test(l))).toHaveLength(3)
  })

  it('uses the defaults without settings: the figures as 1,234.56 and a minus', async () => {
    const text = pdfText((await renderReport('pdf', balanceSheetTable(sheet))).body)
    expect(text).toMatch(/Cash\s+1,234,567\.89/)
    expect(text).toMatch(/Equipment\s+-2\.50/)
    expect(text).toContain('As of 30 Nov 2026 (USD)')
    expect(text).toContain('Page 1 of 1')
  })
})

describe('statement XLSX and CSV', () => {
  it('XLSX keeps numbers with a number format mirroring the negative style, and the organisation beside the period', async () => {
    const file = await renderReport('xlsx', balanceSheetTable(sheet), acme)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer)
    const ws = workbook.worksheets[0]!
    expect(ws.getCell('A2').value).toBe('Acme Holdings Ltd · As of 30.11.2026 (USD)')
    expect(ws.getCell('D5').value).toBe(1234567.89)
    expect(ws.getCell('D5').numFmt).toBe('#,##0.00;(#,##0.00)')
  })

  it('CSV stays machine-readable: plain decimals, ISO dates, whatever the settings', async () => {
    const csv = (await renderReport('csv', balanceSheetTable(sheet), acme)).body.toString('utf8')
    expect(csv.split('\r\n')[0]).toBe('Section,Code,Account,Amount')
    expect(csv).toContain('Assets,1000,Cash,1234567.89')
    expect(csv).toContain('Assets,1500,Equipment,-2.50')
  })
})
