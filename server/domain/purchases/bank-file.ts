/**
 * The bank file of a payment run (issue 13 point 4; SPEC §5 `GET /payment-runs/{id}/file`): an ISO
 * 20022 `pain.001.001.03` credit-transfer initiation (`pain001`) and the same payments as CSV
 * (`paymentsCsv`). Pure functions of the run, no database: the same run gives the same bytes, so
 * a download's SHA-256 identifies the file. The format decisions are in README.md ("Bank file").
 *
 * The input is what the run will pay: `splitPayable` first, so the payments without usable bank
 * details are listed by the run, not silently dropped. Anything else this module cannot write
 * faithfully (an id that would have to be cut, an amount finer than its currency, a debtor IBAN
 * or BIC that is not one) is a BankFileInputError, never a file the bank rejects.
 */
import { AccountingDate } from '../dates'
import { Dec, isCurrency, minorUnit, sum } from '../money'
import { csvField } from '../reports/export'

export interface CreditorAccount {
  iban?: string | null
  accountNumber?: string | null
  bic?: string | null
  bankName?: string | null
}

export interface BankPayment {
  /** Unique in the file: what the bank reports back on the statement line. */
  endToEndId: string
  vendorName: string
  /** A positive decimal string, at most the currency's minor unit of decimals ("100", "100.50", "100.5000"). */
  amount: string
  currency: string
  creditor: CreditorAccount
  /** Free text for the vendor, e.g. the bill numbers and the vendor's references. */
  remittance: string
}

export interface BankFileRun {
  messageId: string
  createdAt: Date
  /** `YYYY-MM-DD`. */
  executionDate: string
  debtor: { name: string, iban?: string | null, bic?: string | null, glAccountCode: string }
  /** The currency of the debtor (paying) account. */
  currency: string
  payments: BankPayment[]
}

/** The run handed this module something it cannot write as given (see the module comment). */
export class BankFileInputError extends Error {
  override name = 'BankFileInputError'
}

export type UnpayableReason = 'no_account' | 'invalid_iban' | 'invalid_account_number' | 'invalid_bic'

// ---------------------------------------------------------------- bank details

/** IBAN as people type it (spaces, lower case) → the electronic form; undefined when blank. */
function electronic(value: string | null | undefined): string | undefined {
  const compact = (value ?? '').replace(/\s+/g, '').toUpperCase()
  return compact === '' ? undefined : compact
}

/** The schema's pattern and the ISO 13616 check digits (mod 97 = 1), so a typo never reaches the bank. */
export function isIban(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban)) return false
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, c => String(c.charCodeAt(0) - 55))
  let rest = 0
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97
  return rest === 1
}

const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/
/**
 * An account number or GL code as `Othr/Id` (Max34Text), in the SEPA character set, never altered;
 * starting with a letter or digit, so no CSV cell of bank details is mistaken for a formula.
 */
const OTHER_ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9/\-?:().,'+ ]{0,33}$/

interface Account { iban?: string, accountNumber?: string, bic?: string, bankName?: string }

function creditorAccount(creditor: CreditorAccount): Account | UnpayableReason {
  const iban = electronic(creditor.iban)
  const accountNumber = creditor.accountNumber?.trim() || undefined
  const bic = electronic(creditor.bic)
  if (iban !== undefined && !isIban(iban)) return 'invalid_iban'
  if (iban === undefined && accountNumber === undefined) return 'no_account'
  if (iban === undefined && !OTHER_ACCOUNT.test(accountNumber!)) return 'invalid_account_number'
  if (bic !== undefined && !BIC.test(bic)) return 'invalid_bic'
  const bankName = latinText(creditor.bankName ?? '', 140) || undefined
  return iban !== undefined ? { iban, bic, bankName } : { accountNumber, bic, bankName }
}

/**
 * The payments the bank can be asked to pay, and the others with the reason, for the run to list:
 * no IBAN and no account number, or one that is not valid (an IBAN failing its check digits, an
 * account number outside Max34Text or the character set, a malformed BIC).
 */
export function splitPayable<P extends BankPayment>(payments: P[]): { payable: P[], withoutBankDetails: { payment: P, reason: UnpayableReason }[] } {
  const payable: P[] = []
  const withoutBankDetails: { payment: P, reason: UnpayableReason }[] = []
  for (const payment of payments) {
    const account = creditorAccount(payment.creditor)
    if (typeof account === 'string') withoutBankDetails.push({ payment, reason: account })
    else payable.push(payment)
  }
  return { payable, withoutBankDetails }
}

// ---------------------------------------------------------------- text

const SEPA_CHARACTER = /^[A-Za-z0-9/\-?:().,'+ ]$/
/** Letters NFKD does not decompose, and punctuation with a near equivalent in the set. */
const TRANSLITERATION: Record<string, string> = {
  'ß': 'ss', 'ẞ': 'SS', 'Æ': 'AE', 'æ': 'ae', 'Œ': 'OE', 'œ': 'oe', 'Ø': 'O', 'ø': 'o', 'Ł': 'L', 'ł': 'l',
  'Đ': 'D', 'đ': 'd', 'Ð': 'D', 'ð': 'd', 'Þ': 'TH', 'þ': 'th', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i',
  '&': '+', '"': '\'', '‘': '\'', '’': '\'', '‚': '\'', '“': '\'', '”': '\'', '„': '\'', '«': '\'', '»': '\'',
  '–': '-', '—': '-', '‒': '-', '―': '-', '−': '-', '_': '-',
  '[': '(', ']': ')', '{': '(', '}': ')', '<': '(', '>': ')',
}

/**
 * Free text in the EPC's basic Latin set (a–z A–Z 0–9 / - ? : ( ) . , ' + space), which every bank
 * takes: accents dropped (é → e), compatibility forms decomposed (ﬁ → fi, full-width Ａ → A), the
 * letters and signs above transliterated, whitespace and control characters a space, invisible
 * format characters (soft hyphen, zero-width space) dropped, anything else
 * (another script, a symbol, a lone surrogate) one `?`; spaces collapsed, then cut to `max`.
 */
export function latinText(value: string, max: number): string {
  let out = ''
  for (const char of value) {
    const decomposed = char.normalize('NFKD').replace(/\p{M}/gu, '')
    if (decomposed === '') continue // a combining mark after its letter: already dropped
    if ([...decomposed].every(c => SEPA_CHARACTER.test(c))) out += decomposed
    else if (char in TRANSLITERATION) out += TRANSLITERATION[char]
    else if (/^[\s\p{Cc}]$/u.test(char)) out += ' '
    else if (/^\p{Cf}$/u.test(char)) continue // soft hyphen, zero-width space and joiners: invisible
    else out += '?'
  }
  return out.replace(/ {2,}/g, ' ').trim().slice(0, max).trimEnd()
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' }
const escapeXml = (text: string) => text.replace(/[&<>"']/g, c => XML_ENTITIES[c]!)

/**
 * MsgId and EndToEndId are references the books and the bank statement are matched on: refused,
 * not cut or transliterated, unless they are 1–35 characters of the set that start with a letter
 * or digit, with no `//` and no trailing `/` (the EPC's rule for references) and no space.
 */
function checkIdentifier(what: string, id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9/\-?:().,'+]{0,34}$/.test(id) || id.includes('//') || id.endsWith('/')) {
    throw new BankFileInputError(`${what} ${JSON.stringify(id)} is not 1–35 characters of A–Z a–z 0–9 / - ? : ( ) . , ' + starting with a letter or digit`)
  }
  return id
}

// ---------------------------------------------------------------- the checked run

/** xs:decimal totalDigits of the schema's amounts (InstdAmt, CtrlSum). */
const TOTAL_DIGITS = 18

function checkDigits(what: string, fixed: string): string {
  if (fixed.replace('.', '').replace(/^0+/, '').length > TOTAL_DIGITS) throw new BankFileInputError(`${what} ${fixed} has more than ${TOTAL_DIGITS} digits`)
  return fixed
}

/** SEPA's limit for a party's name (the ISO schema allows 140). */
const NAME_MAX = 70
/** ISO 20022's word for an unknown agent; also the name of a party whose name is empty once cleaned. */
const NOT_PROVIDED = 'NOTPROVIDED'

interface Transaction { payment: BankPayment, amount: Dec, instructed: string, account: Account, name: string, remittance: string }
interface Batch { currency: string, transactions: Transaction[] }

function checkCurrency(what: string, currency: string): string {
  if (!isCurrency(currency)) throw new BankFileInputError(`${what} ${JSON.stringify(currency)} is not a supported currency`)
  return currency
}

function transaction(payment: BankPayment): Transaction {
  checkIdentifier('EndToEndId', payment.endToEndId)
  const currency = checkCurrency(`the currency of ${payment.endToEndId}`, payment.currency)
  if (!/^\d{1,20}(\.\d{1,20})?$/.test(payment.amount)) throw new BankFileInputError(`the amount of ${payment.endToEndId} (${payment.amount}) is not a positive decimal`)
  const amount = new Dec(payment.amount)
  const places = minorUnit(currency)
  if (amount.isZero()) throw new BankFileInputError(`the amount of ${payment.endToEndId} is zero`)
  if (!amount.toDecimalPlaces(places).equals(amount)) throw new BankFileInputError(`the amount of ${payment.endToEndId} (${payment.amount}) has more decimals than ${currency}'s ${places}`)
  const account = creditorAccount(payment.creditor)
  if (typeof account === 'string') throw new BankFileInputError(`${payment.endToEndId} cannot be paid (${account}): use splitPayable`)
  return {
    payment, amount, account,
    instructed: checkDigits(`the amount of ${payment.endToEndId}`, amount.toFixed(places)),
    name: latinText(payment.vendorName, NAME_MAX) || NOT_PROVIDED,
    remittance: latinText(payment.remittance, 140),
  }
}

/** The run checked and grouped: one batch per currency, in the order the currencies first appear. */
function checkRun(run: BankFileRun) {
  checkIdentifier('MsgId', run.messageId)
  if (Number.isNaN(run.createdAt.getTime())) throw new BankFileInputError('createdAt is not a date')
  if (!AccountingDate.safeParse(run.executionDate).success) throw new BankFileInputError(`the execution date ${JSON.stringify(run.executionDate)} is not a date YYYY-MM-DD`)
  checkCurrency('the debtor account currency', run.currency)
  if (run.payments.length === 0) throw new BankFileInputError('a bank file needs at least one payment')
  const debtorIban = electronic(run.debtor.iban)
  if (debtorIban !== undefined && !isIban(debtorIban)) throw new BankFileInputError('the debtor IBAN is not a valid IBAN')
  const debtorBic = electronic(run.debtor.bic)
  if (debtorBic !== undefined && !BIC.test(debtorBic)) throw new BankFileInputError('the debtor BIC is not a valid BIC')
  if (debtorIban === undefined && !OTHER_ACCOUNT.test(run.debtor.glAccountCode.trim())) throw new BankFileInputError(`the GL account code ${JSON.stringify(run.debtor.glAccountCode)} cannot be an account id (1–34 characters of the SEPA set)`)

  const seen = new Set<string>()
  const batches = new Map<string, Batch>()
  for (const payment of run.payments) {
    const t = transaction(payment)
    if (seen.has(payment.endToEndId)) throw new BankFileInputError(`EndToEndId ${payment.endToEndId} appears twice`)
    seen.add(payment.endToEndId)
    const batch = batches.get(payment.currency) ?? { currency: payment.currency, transactions: [] }
    batch.transactions.push(t)
    batches.set(payment.currency, batch)
  }
  const transactions = run.payments.length
  const places = Math.max(...[...batches.keys()].map(minorUnit))
  return {
    debtor: {
      name: latinText(run.debtor.name, NAME_MAX) || NOT_PROVIDED,
      iban: debtorIban,
      bic: debtorBic,
      glAccountCode: run.debtor.glAccountCode.trim(),
    },
    batches: [...batches.values()],
    transactions,
    // Across currencies, as ISO 20022 defines the group's control sum.
    controlSum: checkDigits('the control sum', sum([...batches.values()].flatMap(b => b.transactions.map(t => t.amount))).toFixed(places)),
  }
}

// ---------------------------------------------------------------- pain.001

/** An element: name, then its text or its children (nulls are elements left out), then attributes. */
type Element = [name: string, content: string | (Element | null)[], attributes?: Record<string, string>]

function render([name, content, attributes]: Element, indent: string): string {
  const attrs = Object.entries(attributes ?? {}).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('')
  if (typeof content === 'string') return `${indent}<${name}${attrs}>${escapeXml(content)}</${name}>\n`
  const children = content.filter((c): c is Element => c !== null).map(c => render(c, `${indent}  `)).join('')
  return `${indent}<${name}${attrs}>\n${children}${indent}</${name}>\n`
}

const other = (id: string): Element => ['Othr', [['Id', id]]]

function agent(bic: string | undefined, bankName?: string): Element {
  return ['FinInstnId', bic !== undefined ? [['BIC', bic]] : bankName !== undefined ? [['Nm', bankName]] : [other(NOT_PROVIDED)]]
}

/** `YYYY-MM-DDThh:mm:ss` in UTC, without a zone designator: several banks refuse one (README). */
const creationTime = (at: Date) => at.toISOString().slice(0, 19)

/**
 * The run as a `pain.001.001.03` CustomerCreditTransferInitiation (UTF-8, no BOM): one PmtInf per
 * currency, every text in the SEPA character set (latinText), amounts to their currency's minor unit.
 */
export function pain001(run: BankFileRun): string {
  const { debtor, batches, transactions, controlSum } = checkRun(run)
  const debtorAccount: Element = ['DbtrAcct', [
    ['Id', [debtor.iban !== undefined ? ['IBAN', debtor.iban] : other(debtor.glAccountCode)]],
    ['Ccy', run.currency],
  ]]
  const paymentInformation = (batch: Batch): Element => {
    const places = minorUnit(batch.currency)
    return ['PmtInf', [
      // MsgId (≤ 35) cut to 31 + "-CCY": unique in the message, which has one PmtInf per currency.
      ['PmtInfId', `${run.messageId.slice(0, 31)}-${batch.currency}`],
      ['PmtMtd', 'TRF'],
      ['BtchBookg', 'true'],
      ['NbOfTxs', String(batch.transactions.length)],
      ['CtrlSum', sum(batch.transactions.map(t => t.amount)).toFixed(places)],
      ['ReqdExctnDt', run.executionDate],
      ['Dbtr', [['Nm', debtor.name]]],
      debtorAccount,
      ['DbtrAgt', [agent(debtor.bic)]],
      ['ChrgBr', 'SLEV'],
      ...batch.transactions.map(({ payment, account, instructed, name, remittance }): Element => ['CdtTrfTxInf', [
        ['PmtId', [['EndToEndId', payment.endToEndId]]],
        ['Amt', [['InstdAmt', instructed, { Ccy: batch.currency }]]],
        account.bic !== undefined || account.bankName !== undefined ? ['CdtrAgt', [agent(account.bic, account.bankName)]] : null,
        ['Cdtr', [['Nm', name]]],
        ['CdtrAcct', [['Id', [account.iban !== undefined ? ['IBAN', account.iban] : other(account.accountNumber!)]]]],
        remittance === '' ? null : ['RmtInf', [['Ustrd', remittance]]],
      ]]),
    ]]
  }
  const document: Element = ['Document', [['CstmrCdtTrfInitn', [
    ['GrpHdr', [
      ['MsgId', run.messageId],
      ['CreDtTm', creationTime(run.createdAt)],
      ['NbOfTxs', String(transactions)],
      ['CtrlSum', controlSum],
      ['InitgPty', [['Nm', debtor.name]]],
    ]],
    ...batches.map(paymentInformation),
  ]]], { xmlns: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03' }]
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(document, '')}`
}

// ---------------------------------------------------------------- CSV

export const PAYMENTS_CSV_COLUMNS = ['Vendor', 'IBAN', 'Account number', 'BIC', 'Bank name', 'Amount', 'Currency', 'Execution date', 'End-to-end ID', 'Remittance'] as const

/**
 * A CSV cell: text kept in full Unicode but well-formed (a lone surrogate becomes U+FFFD) and on one
 * line (control characters a space), then the reports' csvField as text: a cell a spreadsheet would
 * run as a formula (= + - @ first, after any spaces) gets a leading apostrophe (OWASP "CSV
 * injection"), then RFC 4180 quoting.
 */
function csvCell(value: string): string {
  return csvField(value.toWellFormed().replace(/\p{Cc}/gu, ' '), { text: true })
}

/**
 * The same payments as the pain.001, one line each under a header row, for a bank that imports CSV
 * or a person who checks the run: UTF-8, CRLF, no total line (an importer would pay it); bank
 * details as the bank needs them, in full.
 */
export function paymentsCsv(run: BankFileRun): string {
  const { batches } = checkRun(run)
  const byPayment = new Map(batches.flatMap(b => b.transactions).map(t => [t.payment, t]))
  const rows = run.payments.map((payment) => {
    const { account, instructed } = byPayment.get(payment)!
    return [payment.vendorName, account.iban ?? '', account.accountNumber ?? '', account.bic ?? '', payment.creditor.bankName?.trim() ?? '',
      instructed, payment.currency, run.executionDate, payment.endToEndId, payment.remittance]
  })
  return [[...PAYMENTS_CSV_COLUMNS], ...rows].map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
