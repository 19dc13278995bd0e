/**
 * The PDF every statement shares (server/domain/reports/export.ts), read back with pdftotext
 * (poppler-utils): the organisation and the period at the head, figures in the organisation's
 * number format with blank zero cells, sections as headings instead of a column, and the footer;
 * the same base for the streamed general ledger (export-stream.ts), written page by page.
 */
import { execFileSync } from 'node:child_process'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { balanceSheetTable, generalLedgerTable, renderReport, type RenderOptions } from '../../server/domain/reports/export'
import { sinkFor } from '../../server/domain/reports/export-stream'
import type { BalanceSheet, GeneralLedger } from '../../server/domain/reports/statements'

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

describe('streamed general-ledger PDF', () => {
  const ledger: GeneralLedger = {
    account: { id: 'a', code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash', normalBalance: 'debit' },
    currency: 'USD', from: '2026-01-01', to: '2026-12-31', openingBalance: '1000.00', rows: [], closingBalance: '0.00', page: 1, pageSize: 0, total: 0,
  }
  /** Line i: a debit of 1234.50 on even lines, a credit of 0.25 on odd ones, the other side zero. */
  const line = (i: number) => ['2026-03-15', String(i + 1), `Entry ${i}`, i % 2 ? '0.00' : '1234.50', i % 2 ? '0.25' : '0.00', '-7.00']

  /** Writes 600 lines in batches of 200 through the sink; the bytes out, and how many left before the end. */
  async function stream(options: RenderOptions) {
    const table = generalLedgerTable(ledger)
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    const sink = sinkFor('pdf', out, { ...table, places: 2 }, options)
    await sink.rows([table.rows[0]!])
    for (let batch = 0; batch < 3; batch++) await sink.rows(Array.from({ length: 200 }, (_, i) => line(batch * 200 + i)))
    // Let what pdfkit has pushed so far flow through the pipe.
    await new Promise(resolve => setImmediate(resolve))
    const beforeEnd = Buffer.concat(chunks).length
    await sink.rows([table.rows[table.rows.length - 1]!])
    await sink.end()
    return { body: Buffer.concat(chunks), beforeEnd }
  }

  it('heads with the organisation, title and period, and writes dates and figures as the organisation does, zero cells blank', async () => {
    const text = pdfText((await stream(acme)).body)
    expect(text).toContain('Acme Holdings Ltd')
    expect(text).toContain('General ledger: 1000 Cash on hand')
    expect(text).toContain('01.01.2026 to 31.12.2026 (USD); balances on the debit side')
    expect(text).toMatch(/15\.03\.2026\s+1\s+Entry 0\s+1\.234,50\s+\(7,00\)\n/)
    expect(text).toMatch(/15\.03\.2026\s+2\s+Entry 1\s+0,25\s+\(7,00\)\n/)
    expect(text).toMatch(/Opening balance\s+1\.000,00\n/)
    expect(text).not.toContain('2026-03-15')
    expect(text).not.toContain('1234.50')
    expect(text).not.toMatch(/(^|\s)0,00/m)
  })

  it('says who prepared it and when, numbers every page of the total, and repeats the column headings', async () => {
    const text = pdfText((await stream(acme)).body)
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1])
    expect(pages).toBeGreaterThan(5)
    expect(text.match(/Prepared by Olivia Owner on 01\.12\.2026 00:30 \(Europe\/Berlin\)/g)).toHaveLength(pages)
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Page ${page} of ${pages}`)
    expect(text.split('\n').filter(l => /^\s*Date\s+Number\s+Memo\s+Debit\s+Credit\s+Balance\s*$/.test(l))).toHaveLength(pages)
  })

  it('writes finished pages out before the end (memory stays bounded), and uses the defaults without settings', async () => {
    const { body, beforeEnd } = await stream({})
    // All but the last page had gone out while the rows were still coming.
    expect(beforeEnd).toBeGreaterThan(body.length / 2)
    const text = pdfText(body)
    expect(text).toMatch(/15 Mar 2026\s+1\s+Entry 0\s+1,234\.50\s+-7\.00\n/)
    expect(text).toContain('1 Jan 2026 to 31 Dec 2026 (USD)')
    expect(text).toMatch(/Prepared on .* \(UTC\)\s+Page 1 of \d+/)
  })
})
