/**
 * What the import wizard works out from a statement file before asking the user: its format, and
 * for a CSV a first guess of the column mapping (which column is the date, the amount, the text;
 * how dates and amounts are written). Pure, so the guesses are unit-tested; the server still reads
 * the file with the mapping the user confirms.
 */
import type { CsvMapping, StatementFormat } from './useBank'

/** OFX (SGML or XML), CAMT.053 (its namespace or root), else CSV; by the content first, the extension when the content says nothing. */
export function detectStatementFormat(fileName: string, text: string): StatementFormat {
  const head = text.slice(0, 4000)
  if (/camt\.053|<BkToCstmrStmt>/i.test(head)) return 'camt053'
  if (/OFXHEADER|<OFX>/i.test(head)) return 'ofx'
  const extension = fileName.toLowerCase().split('.').pop()
  if (extension === 'ofx' || extension === 'qfx') return 'ofx'
  if (extension === 'xml' && /<Document/i.test(head)) return 'camt053'
  return 'csv'
}

export const STATEMENT_FORMAT_LABELS: Record<StatementFormat, string> = {
  csv: 'CSV',
  ofx: 'OFX',
  camt053: 'CAMT.053 (ISO 20022)',
}

/** The date patterns the wizard offers (the server takes any pattern of YYYY/YY, MM/M, DD/D and separators). */
export const DATE_FORMATS = ['DD.MM.YYYY', 'DD/MM/YYYY', 'D/M/YYYY', 'MM/DD/YYYY', 'M/D/YYYY', 'YYYY-MM-DD', 'DD-MM-YYYY', 'DD.MM.YY', 'YYYYMMDD'] as const

type Column = string | number
export type MappingRole = 'date' | 'amount' | 'debit' | 'credit' | 'description' | 'reference'

/** Header words per role, in the languages banks' exports commonly use (English, German, French, Spanish, Dutch). */
const ROLE_WORDS: [MappingRole, RegExp][] = [
  ['debit', /\b(debit|withdrawal|paid out|money out|soll|lastschrift|débit|cargo)\b/i],
  ['credit', /\b(credit|deposit|paid in|money in|haben|gutschrift|crédit|abono)\b/i],
  ['date', /(booking date|posting date|transaction date|buchungstag|buchungsdatum|date|datum|fecha)/i],
  ['amount', /(amount|betrag|montant|importe|bedrag|umsatz)/i],
  ['description', /(description|verwendungszweck|details|memo|narrative|libellé|concepto|omschrijving|payee|text)/i],
  ['reference', /(reference|referenz|réf|ref\b|ref\.|check\s*#|cheque)/i],
]

/** Which column plays which role, by its header; each column at most once, the first match wins. */
export function guessColumns(header: readonly string[]): Partial<Record<MappingRole, string>> {
  const found: Partial<Record<MappingRole, string>> = {}
  const taken = new Set<string>()
  for (const [role, words] of ROLE_WORDS) {
    // Value dates ("Valuta", "Value date") are not the booking date.
    const column = header.find(h => !taken.has(h) && words.test(h) && !(role === 'date' && /valuta|value date/i.test(h)))
    if (column !== undefined) {
      found[role] = column
      taken.add(column)
    }
  }
  // A debit column without a credit one (or the reverse) is really the amount.
  if (found.debit && !found.credit && !found.amount) [found.amount, found.debit] = [found.debit, undefined]
  if (found.credit && !found.debit && !found.amount) [found.amount, found.credit] = [found.credit, undefined]
  if (found.amount && (found.debit || found.credit)) {
    found.debit = undefined
    found.credit = undefined
  }
  return found
}

/** The first pattern of {@link DATE_FORMATS} that every sample date fits (ambiguous day/month: the day first unless a value says otherwise). */
export function guessDateFormat(samples: readonly string[]): string | null {
  const values = samples.map(s => s.trim()).filter(Boolean)
  if (values.length === 0) return null
  const fits = (format: string) => values.every((value) => {
    const parts = format.match(/YYYY|YY|MM|M|DD|D|[^YMD]+/g) ?? []
    const pattern = parts.map(p => ({ YYYY: '(\\d{4})', YY: '(\\d{2})', MM: '(\\d{2})', M: '(\\d{1,2})', DD: '(\\d{2})', D: '(\\d{1,2})' } as Record<string, string>)[p] ?? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('')
    const match = new RegExp(`^${pattern}$`).exec(value)
    if (!match) return false
    const tokens = parts.filter(p => /^[YMD]+$/.test(p))
    const month = Number(match[tokens.findIndex(t => t.startsWith('M')) + 1])
    const day = Number(match[tokens.findIndex(t => t.startsWith('D')) + 1])
    return month >= 1 && month <= 12 && day >= 1 && day <= 31
  })
  return DATE_FORMATS.find(fits) ?? null
}

/** How amounts are written: `1.234,56` and `-89,90` use a decimal comma; `1,234.56` a decimal point. */
export function guessNumberFormat(samples: readonly string[]): Pick<CsvMapping, 'decimalSeparator' | 'thousandsSeparator'> {
  const values = samples.map(s => s.trim().replace(/^[-+(]|[)]$/g, '')).filter(Boolean)
  const commaDecimal = values.some(v => /,\d{1,2}$/.test(v) || /\.\d{3},/.test(v))
  if (commaDecimal) return { decimalSeparator: ',', thousandsSeparator: values.some(v => /\d\.\d{3}(,|$)/.test(v)) ? '.' : values.some(v => /\d \d{3}/.test(v)) ? ' ' : '' }
  return { decimalSeparator: '.', thousandsSeparator: values.some(v => /\d,\d{3}(\.|$)/.test(v)) ? ',' : '' }
}

/**
 * A whole first guess of a mapping from the file as the preview read it: with a header the
 * columns by name, without one by number (1-based). Null when no date or amount column is found.
 */
export function guessMapping(csv: { header: string[] | null, rows: { cells: string[] }[] }, hasHeader: boolean): CsvMapping | null {
  const width = Math.max(csv.header?.length ?? 0, ...csv.rows.map(r => r.cells.length))
  const names = csv.header && hasHeader ? csv.header : Array.from({ length: width }, (_, i) => `Column ${i + 1}`)
  const roles = hasHeader ? guessColumns(names) : {}
  const index = (name: string | undefined) => (name === undefined ? -1 : names.indexOf(name))
  const cells = (name: string | undefined) => csv.rows.map(r => r.cells[index(name)] ?? '')
  const ref = (name: string | undefined): Column | undefined => (name === undefined ? undefined : hasHeader ? name : index(name) + 1)
  if (!roles.date || !(roles.amount || roles.debit || roles.credit) || !roles.description) return null
  const dateFormat = guessDateFormat(cells(roles.date)) ?? 'YYYY-MM-DD'
  const amounts = [...cells(roles.amount), ...cells(roles.debit), ...cells(roles.credit)]
  return {
    date: ref(roles.date)!,
    ...(roles.amount ? { amount: ref(roles.amount) } : { debit: ref(roles.debit), credit: ref(roles.credit) }),
    description: ref(roles.description)!,
    ...(roles.reference ? { reference: ref(roles.reference) } : {}),
    dateFormat,
    ...guessNumberFormat(amounts),
  }
}
