/**
 * Bank statements as the importers read them (issue 14 point 2, SPEC §6 module 7): what every
 * format comes down to, the refusal every parser throws, and the rules they share — amounts and
 * dates as the file writes them, the duplicate key of a line, and which of a file's statements
 * belong to the bank account it is imported into. No database, no framework: the parsers
 * (csv-statement.ts, ofx.ts, camt053.ts) and their unit tests use only this.
 */
import { createHash } from 'node:crypto'
import { AccountingDate } from '../dates'
import { MAX_MONEY, Dec } from '../money'

/** One bank line: money in positive, out negative, as a decimal string. */
export interface StatementLine {
  date: string
  amount: string
  description: string
  reference: string | null
  /** The bank's own id of the line (FITID, AcctSvcrRef), when the file gives one. */
  bankId: string | null
  counterparty: string | null
  /** Where the line is in the file, for refusals and the preview ("line 7", "Ntry 3"). */
  source: string
}

export interface StatementBalance { amount: string, date: string }

/** One account's part of a file. A CSV has one, with no account named. */
export interface Statement {
  account: { iban: string | null, number: string | null } | null
  currency: string | null
  opening: StatementBalance | null
  closing: StatementBalance | null
  lines: StatementLine[]
}

/**
 * A malformed file: every problem found, by where it is (`line 7`, `Ntry 3 (line 40)`), and nothing
 * from the file is imported. The route answers 400 `IMPORT_INVALID` with these as `fields`.
 */
export class StatementError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`The file cannot be imported: ${Object.entries(fields).slice(0, 3).map(([k, v]) => `${k}: ${v}`).join('; ')}`)
  }
}

/** Collects problems by place; `check()` throws them all at once (the first 50 are kept). */
export class Problems {
  readonly fields: Record<string, string> = {}
  private count = 0
  add(where: string, reason: string) {
    if (this.count++ < 50 && !(where in this.fields)) this.fields[where] = reason
  }

  check() {
    if (this.count) throw new StatementError(this.fields)
  }
}

/** Digits of an amount in a file: at most 4 decimals (the ledger's scale), below 10^16. */
const PLAIN = /^(\d+)(?:\.(\d{1,4}))?$/

/** A plain decimal (`1234.5`, signed by the caller) as the canonical string, or null. */
export function plainAmount(digits: string, negative = false): string | null {
  const m = PLAIN.exec(digits)
  if (!m) return null
  const v = new Dec(digits)
  if (v.gte(MAX_MONEY)) return null
  return (negative && !v.isZero() ? v.neg() : v).toFixed()
}

export interface NumberFormat { decimalSeparator: '.' | ',', thousandsSeparator?: '' | ',' | '.' | ' ' | '\'' | null }

/**
 * An amount as a CSV writes it: a leading or trailing sign or parentheses for negatives, the
 * thousands separator anywhere in the integer part (spaces, also non-breaking ones, when it is a
 * space), the decimal separator given. Null when it is not one.
 */
export function parseAmount(raw: string, format: NumberFormat): string | null {
  let s = raw.trim().replace(/\u00A0|\u202F/g, ' ')
  let negative = false
  if (/^\(.*\)$/.test(s)) {
    negative = true
    s = s.slice(1, -1).trim()
  }
  if (/^[-+]/.test(s)) {
    negative = negative !== (s[0] === '-')
    s = s.slice(1).trim()
  }
  else if (/[-+]$/.test(s)) {
    negative = negative !== s.endsWith('-')
    s = s.slice(0, -1).trim()
  }
  const thousands = format.thousandsSeparator ?? ''
  if (thousands && thousands !== format.decimalSeparator) {
    const [int, ...rest] = s.split(format.decimalSeparator)
    if (rest.length > 1) return null
    // groups of three after the first: 1.234.567,89
    const groups = int!.split(thousands)
    if (groups.length > 1 && (groups.slice(1).some(g => g.length !== 3) || !groups[0])) return null
    s = groups.join('') + (rest.length ? `.${rest[0]}` : '')
  }
  else if (format.decimalSeparator === ',') {
    if (s.includes('.')) return null
    s = s.replace(',', '.')
  }
  return plainAmount(s, negative)
}

const DATE_TOKENS: Record<string, string> = { YYYY: '(?<y>\\d{4})', YY: '(?<yy>\\d{2})', MM: '(?<m>\\d{2})', M: '(?<m>\\d{1,2})', DD: '(?<d>\\d{2})', D: '(?<d>\\d{1,2})' }

/**
 * A date pattern (`DD.MM.YYYY`, `M/D/YY`, `YYYY-MM-DD`) as a parser of that pattern: YYYY, YY
 * (years 2000–2099), MM/M, DD/D and literal separators. Null for a pattern without a year, month
 * and day.
 */
export function datePattern(format: string): ((raw: string) => string | null) | null {
  const parts = format.match(/YYYY|YY|MM|M|DD|D|[^YMD]+/g) ?? []
  if (parts.join('') !== format) return null
  const tokens = parts.filter(p => p in DATE_TOKENS)
  if (new Set(tokens.map(t => t[0])).size !== 3 || tokens.length !== 3) return null
  const re = new RegExp(`^${parts.map(p => DATE_TOKENS[p] ?? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('')}$`)
  return (raw) => {
    const g = re.exec(raw.trim())?.groups
    if (!g) return null
    return isoDate(g.y ?? `20${g.yy}`, g.m!, g.d!)
  }
}

/** `YYYY-MM-DD` of the parts when it is a calendar date within the accounting range, else null. */
export function isoDate(y: string, m: string, d: string): string | null {
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
  return AccountingDate.safeParse(iso).success ? iso : null
}

/**
 * The duplicate key of each line (SPEC §6 module 7): the bank's id together with the line's
 * position among the file's lines that carry the same id (banks repeat one reference across the
 * details of an entry); without an id, a hash of date, amount and text with the position among
 * identical lines. Importing the same file, or an overlapping one, gives the same keys to the same
 * lines.
 */
export function lineKeys(lines: readonly StatementLine[]): string[] {
  const seen = new Map<string, number>()
  return lines.map((l) => {
    const base = l.bankId !== null
      ? `id:${l.bankId}`
      : `h:${createHash('sha256').update(JSON.stringify([l.date, new Dec(l.amount).toFixed(), l.description.trim().replace(/\s+/g, ' '), l.reference ?? ''])).digest('hex')}`
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return `${base}#${n}`
  })
}

/** An IBAN or account number as compared: letters and digits only, upper case. */
export const normaliseAccount = (s: string) => s.replace(/[^0-9a-z]/gi, '').toUpperCase()

/**
 * The statements of a file that belong to a bank account (its IBAN or number): all of them when the
 * file names no account (a CSV), else those naming this one. Null when the file names accounts and
 * none is this one (the route's 422).
 */
export function statementsFor(statements: readonly Statement[], bank: { iban: string | null, number: string | null }): Statement[] | null {
  const mine = new Set([bank.iban, bank.number].filter((v): v is string => !!v).map(normaliseAccount))
  const named = statements.filter(s => s.account && (s.account.iban || s.account.number))
  if (!named.length) return [...statements]
  const matching = named.filter(s => [s.account!.iban, s.account!.number].some(v => v && mine.has(normaliseAccount(v))))
  return matching.length ? matching : null
}
