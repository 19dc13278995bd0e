import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { cashFlowTable, csvField, renderReport, toCsv, trialBalanceTable, type ReportTable } from '../../server/domain/reports/export'
import { dayBefore } from '../../server/domain/reports/balances'
import { apportion } from '../../server/domain/reports/cash-flow'
import { Dec } from '../../server/domain/money'

const table: ReportTable = {
  name: 'sample-2026-11-30',
  title: 'Sample',
  subtitle: 'As of 2026-11-30 (USD)',
  columns: [{ label: 'Name' }, { label: 'Amount', amount: true }],
  rows: [['Plain', '10.00'], ['Comma, inside', '-2.50'], ['Quote "here"', '0.00'], ['Two\nlines', '1234567.89']],
}

describe('report files', () => {
  it('CSV follows RFC 4180: quotes only where needed, doubled quotes, CRLF', () => {
    expect(csvField('abc')).toBe('abc')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    // A text a spreadsheet would run as a formula is written as text; a figure stays a figure.
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"')
    expect(['+1+2', '-2+3', '@SUM(A1)', ' =1', '\t=1', '-', '- discount'].map(v => csvField(v))).toEqual(['\'+1+2', '\'-2+3', '\'@SUM(A1)', '\' =1', '\'\t=1', '\'-', '\'- discount'])
    expect(['-12.50', '-1,234.56', '(12.50)', '+5', '12%', '2026-01-31', 'Cash - petty'].map(v => csvField(v))).toEqual(['-12.50', '"-1,234.56"', '(12.50)', '+5', '12%', '2026-01-31', 'Cash - petty'])
    expect(csvField('a\r\nb')).toBe('"a\r\nb"')
    expect(toCsv(table)).toBe('Name,Amount\r\nPlain,10.00\r\n"Comma, inside",-2.50\r\n"Quote ""here""",0.00\r\n"Two\nlines",1234567.89\r\n')
  })

  it('trial balance table ends with the totals row', () => {
    const t = trialBalanceTable({
      asOf: '2026-11-30', currency: 'USD', totals: { debit: '5.00', credit: '5.00' },
      rows: [{ accountId: 'a', code: '1000', name: 'Cash', type: 'asset', subtype: 'cash', debit: '0.00', credit: '5.00', abnormal: true, drillDown: { accountId: 'a', from: null, to: '2026-11-30' } }],
    })
    expect(t.name).toBe('trial-balance-2026-11-30')
    expect(t.rows).toEqual([['1000', 'Cash', 'asset', '0.00', '5.00', 'yes'], ['', 'Total', '', '5.00', '5.00', '']])
  })

  it('cash-flow table: the three sections, the cash lines, then the noncash disclosure outside every total', () => {
    const netIncome = { accountId: null, code: null, name: 'Net income', subtype: null, amount: '10.00', drillDown: null }
    const t = cashFlowTable({
      from: '2026-01-01', to: '2026-12-31', currency: 'USD', netIncome: '10.00',
      operating: { rows: [netIncome], total: '10.00' }, investing: { rows: [], total: '0.00' }, financing: { rows: [], total: '0.00' },
      netChange: '10.00', openingCash: '5.00', closingCash: '15.00',
      noncashActivities: [{ date: '2026-10-01', entryId: 'e', number: 12, memo: 'Land bought for a note', amount: '40000.00' }],
    })
    expect(t.rows).toEqual([
      ['Operating', '', 'Net income', '10.00'], ['Operating', '', 'Net cash from operating activities', '10.00'],
      ['Investing', '', 'Net cash from investing activities', '0.00'],
      ['Financing', '', 'Net cash from financing activities', '0.00'],
      ['', '', 'Net change in cash', '10.00'], ['', '', 'Cash at the beginning of the period', '5.00'], ['', '', 'Cash at the end of the period', '15.00'],
      ['Noncash investing and financing activities', '', 'Land bought for a note (entry 12 of 2026-10-01)', '40000.00'],
    ])
  })

  it('apportion splits exactly: the rounding remainder goes on the largest part, the first of equals', () => {
    const parts = (total: string, weights: string[]) => apportion(new Dec(total), weights.map(w => new Dec(w)), 2).map(p => p.toFixed(2))
    expect(parts('-3600', ['3000', '600'])).toEqual(['-3000.00', '-600.00'])
    // 0.015 and 0.015 both round to 0.02: the first takes the −0.01.
    expect(parts('0.03', ['-0.50', '-0.50'])).toEqual(['0.01', '0.02'])
    // 100 / 3 = 33.333…: 33.33 three times, the cent left goes on the largest (the first of equals).
    expect(parts('100', ['1', '1', '1'])).toEqual(['33.34', '33.33', '33.33'])
    // Weights of both signs (an entry's operating lines) still sum to the total.
    expect(parts('1.00', ['3', '-1', '1'])).toEqual(['1.00', '-0.33', '0.33'])
  })

  it('XLSX holds the title and amount cells as numbers', async () => {
    const file = await renderReport('xlsx', table)
    expect(file.filename).toBe('sample-2026-11-30.xlsx')
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.getCell('A1').value).toBe('Sample')
    expect(sheet.getCell('A4').value).toBe('Name')
    expect(sheet.getCell('A6').value).toBe('Comma, inside')
    expect(sheet.getCell('B6').value).toBe(-2.5)
    expect(sheet.getCell('B8').value).toBe(1234567.89)
  })

  it('PDF is a PDF document', async () => {
    const file = await renderReport('pdf', { ...table, rows: Array.from({ length: 120 }, (_, i) => [`Row ${i}`, `${i}.00`]) })
    expect(file.contentType).toBe('application/pdf')
    expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    // 120 rows do not fit on one A4 page.
    expect(file.body.toString('latin1').match(/\/Type \/Page\b/g)!.length).toBeGreaterThan(1)
  })

  it('dayBefore crosses month and year ends', () => {
    expect(dayBefore('2026-03-01')).toBe('2026-02-28')
    expect(dayBefore('2024-03-01')).toBe('2024-02-29')
    expect(dayBefore('2026-01-01')).toBe('2025-12-31')
  })
})
