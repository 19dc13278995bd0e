/**
 * CSV statements with a column mapping (SPEC §5 `bank-accounts/{id}/imports`): the file is read
 * by csv-parse (quotes, embedded delimiters and line breaks, a byte-order mark), the delimiter
 * detected when the mapping does not give one, then each row mapped: columns by header name, or
 * by 1-based number (always allowed, and the only way without a header row). The amount is one
 * signed column, or a debit column (money out) and a credit column (money in) of which a row fills
 * one. Every row is checked; the refusal names each bad row by its line in the file.
 */
import { parse } from 'csv-parse/sync'
import { datePattern, parseAmount, Problems, StatementError, type NumberFormat, type Statement, type StatementLine } from './statement'

export type ColumnRef = string | number

export interface CsvMapping extends NumberFormat {
  hasHeader?: boolean
  skipRows?: number
  delimiter?: string
  date: ColumnRef
  amount?: ColumnRef
  debit?: ColumnRef
  credit?: ColumnRef
  description: ColumnRef
  reference?: ColumnRef
  dateFormat: string
}

const DELIMITERS = [',', ';', '\t', '|']

type Row = { record: string[], info: { lines: number } }

const read = (text: string, delimiter: string, fromLine: number, toLine?: number): Row[] => parse(text, {
  delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, from_line: fromLine, ...(toLine ? { to_line: toLine } : {}),
}) as unknown as Row[]

/**
 * The delimiter of a file: of `,` `;` tab and `|`, the one that splits its first rows into the same
 * number (above one) of columns; the most columns wins a tie. `,` when none does.
 */
export function detectDelimiter(text: string, skipRows = 0): string {
  let best = { delimiter: ',', columns: 1 }
  for (const delimiter of DELIMITERS) {
    let rows: Row[]
    try {
      rows = read(text, delimiter, skipRows + 1, skipRows + 10)
    }
    catch {
      continue
    }
    const counts = rows.map(r => r.record.length)
    if (counts.length && counts[0]! > 1 && counts.every(c => c === counts[0]) && counts[0]! > best.columns) best = { delimiter, columns: counts[0]! }
  }
  return best.delimiter
}

/** The rows of a CSV as text (after `skipRows`), its header when it has one, and the delimiter: the import wizard's preview. */
export function readCsv(text: string, options: { hasHeader?: boolean, skipRows?: number, delimiter?: string } = {}, limit?: number) {
  const delimiter = options.delimiter ?? detectDelimiter(text, options.skipRows)
  let rows: Row[]
  try {
    rows = read(text, delimiter, (options.skipRows ?? 0) + 1, limit ? (options.skipRows ?? 0) + limit + 1 : undefined)
  }
  catch (e) {
    const line = (e as { lines?: number }).lines
    throw new StatementError({ [`line ${line ?? 1}`]: (e as Error).message.replace(/^Invalid [^:]*: /, '') })
  }
  const hasHeader = options.hasHeader ?? true
  const header = hasHeader ? (rows.shift()?.record.map(h => h.trim()) ?? []) : null
  return { delimiter, header, rows }
}

export function parseCsvStatement(text: string, mapping: CsvMapping): Statement[] {
  const { header, rows } = readCsv(text, mapping)
  const problems = new Problems()
  const index = (ref: ColumnRef | undefined, field: string): number | null => {
    if (ref === undefined) return null
    if (typeof ref === 'number') return ref - 1
    const i = header ? header.findIndex(h => h.toLowerCase() === ref.trim().toLowerCase()) : -1
    if (i < 0) problems.add(`mapping.${field}`, header ? `no column "${ref}" in the header (${header.join(', ')})` : 'without a header row, columns are numbers (1 is the first)')
    return i
  }
  const col = {
    date: index(mapping.date, 'date'), amount: index(mapping.amount, 'amount'), debit: index(mapping.debit, 'debit'),
    credit: index(mapping.credit, 'credit'), description: index(mapping.description, 'description'), reference: index(mapping.reference, 'reference'),
  }
  if (col.amount === null && col.debit === null && col.credit === null) problems.add('mapping.amount', 'give an amount column, or debit and credit columns')
  const toDate = datePattern(mapping.dateFormat)
  if (!toDate) problems.add('mapping.dateFormat', 'must name a day, a month and a year, e.g. DD.MM.YYYY')
  problems.check()

  const lines: StatementLine[] = []
  for (const { record, info } of rows) {
    const at = `line ${info.lines}`
    const cell = (i: number | null) => (i === null || i < 0 ? '' : (record[i] ?? '').trim())
    if (record.every(v => !v.trim())) continue
    const rawDate = cell(col.date)
    const date = toDate!(rawDate)
    if (!date) problems.add(at, `date "${rawDate}" does not match ${mapping.dateFormat}`)
    let amount: string | null
    if (col.amount !== null) {
      amount = parseAmount(cell(col.amount), mapping)
      if (amount === null) problems.add(at, `amount "${cell(col.amount)}" is not a number with "${mapping.decimalSeparator}" as the decimal separator`)
    }
    else {
      const [out, inn] = [cell(col.debit), cell(col.credit)]
      const parsed = [out, inn].map(v => (v ? parseAmount(v, mapping) : '0'))
      if (parsed.some(v => v === null)) {
        amount = null
        problems.add(at, `debit "${out}" / credit "${inn}" is not a number with "${mapping.decimalSeparator}" as the decimal separator`)
      }
      else {
        const [d, c] = parsed.map(v => v!.replace(/^-/, ''))
        if (d !== '0' && c !== '0') {
          amount = null
          problems.add(at, 'both debit and credit are filled')
        }
        else amount = d !== '0' ? `-${d}` : c!
      }
    }
    if (!date || amount === null) continue
    lines.push({ date, amount, description: cell(col.description), reference: cell(col.reference) || null, bankId: null, counterparty: null, source: at })
  }
  problems.check()
  return [{ account: null, currency: null, opening: null, closing: null, lines }]
}
