/**
 * The import wizard's first guesses (composables/bank/statementFile.ts): a file's format from its
 * content and name, and a CSV's column mapping from its header and first rows, on the same files
 * the importer's tests read (tests/fixtures/bank).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectStatementFormat, guessColumns, guessDateFormat, guessMapping, guessNumberFormat } from '../../composables/bank/statementFile'
import { parseCsvStatement, readCsv } from '../../server/domain/bank/csv-statement'

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/bank', name), 'utf8')
/** The preview's `csv` part, as the server reads the file for the wizard. */
function previewCsv(text: string) {
  const read = readCsv(text, {}, 20)
  return { header: read.header, rows: read.rows.map(r => ({ cells: r.record })) }
}

describe('detectStatementFormat', () => {
  it('knows OFX, CAMT.053 and CSV by their content, whatever the file is called', () => {
    expect(detectStatementFormat('export.txt', fixture('ofx1.ofx'))).toBe('ofx')
    expect(detectStatementFormat('export.xml', fixture('ofx2.ofx'))).toBe('ofx')
    expect(detectStatementFormat('statement.dat', fixture('camt053-v08.xml'))).toBe('camt053')
    expect(detectStatementFormat('camt.xml', fixture('camt053-v02.xml'))).toBe('camt053')
    expect(detectStatementFormat('maerz.csv', fixture('european.csv'))).toBe('csv')
  })

  it('falls back on the extension when the content says nothing, and on CSV last', () => {
    expect(detectStatementFormat('bank.QFX', 'garbage')).toBe('ofx')
    expect(detectStatementFormat('notes.txt', 'a;b;c')).toBe('csv')
  })
})

describe('guessing a CSV mapping', () => {
  it('reads a German export: booking day (not the value date), amount with a decimal comma and thousands points, purpose, reference', () => {
    const mapping = guessMapping(previewCsv(fixture('european.csv')), true)
    expect(mapping).toEqual({
      date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', reference: 'Referenz',
      dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.',
    })
    // The guess is a mapping the importer takes as it is.
    expect(parseCsvStatement(fixture('european.csv'), mapping!)[0]!.lines.map(l => l.amount)).toEqual(['1234.56', '-89.9', '-1500', '-1500', '-4.5'])
  })

  it('reads a US export: month-first dates (a day over 12 decides), separate debit and credit columns, cheque number as reference', () => {
    const mapping = guessMapping(previewCsv(fixture('us-debit-credit.csv')), true)
    expect(mapping).toEqual({
      date: 'Date', debit: 'Debit', credit: 'Credit', description: 'Description', reference: 'Check #',
      dateFormat: 'M/D/YYYY', decimalSeparator: '.', thousandsSeparator: ',',
    })
    expect(parseCsvStatement(fixture('us-debit-credit.csv'), mapping!)[0]!.lines.map(l => l.amount)).toEqual(['1250', '-2000', '-15', '0.37'])
  })

  it('takes a lone debit or credit column as the amount, and gives up without a date or an amount', () => {
    expect(guessColumns(['Date', 'Memo', 'Credit'])).toMatchObject({ date: 'Date', description: 'Memo', amount: 'Credit' })
    expect(guessMapping({ header: ['Foo', 'Bar'], rows: [{ cells: ['1', '2'] }] }, true)).toBeNull()
  })

  it('guesses date and number formats from the values', () => {
    expect(guessDateFormat(['2026-03-02', '2026-03-31'])).toBe('YYYY-MM-DD')
    expect(guessDateFormat(['02/03/2026', '31/03/2026'])).toBe('DD/MM/YYYY')
    expect(guessDateFormat(['03/02/2026', '03/31/2026'])).toBe('MM/DD/YYYY')
    expect(guessDateFormat(['yesterday'])).toBeNull()
    expect(guessNumberFormat(['-89,90', '1 234,56'])).toEqual({ decimalSeparator: ',', thousandsSeparator: ' ' })
    expect(guessNumberFormat(['12.50', '-3.10'])).toEqual({ decimalSeparator: '.', thousandsSeparator: '' })
  })
})
