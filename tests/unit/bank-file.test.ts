/**
 * The bank file of a payment run (server/domain/purchases/bank-file.ts; issue 13 point 4): every
 * pain.001 these tests build is validated with xmllint against the ISO 20022 schema
 * (tests/fixtures/schemas/pain.001.001.03.xsd), and read back through xmllint's parser where the
 * text matters; the control sums are compared with exact decimal sums; the CSV is parsed back as
 * RFC 4180. A property test writes 100 random runs (names in any script, lone surrogates, control
 * characters, amounts in currencies of 0, 2 and 3 minor units) and validates them in one xmllint call.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { Dec, minorUnit, sum } from '../../server/domain/money'
import { BankFileInputError, isIban, latinText, pain001, paymentsCsv, splitPayable, type BankFileRun, type BankPayment } from '../../server/domain/purchases/bank-file'

const SCHEMA = fileURLToPath(new URL('../fixtures/schemas/pain.001.001.03.xsd', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'bank-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const writeXml = (xml: string) => {
  const file = join(dir, `${++files}.xml`)
  writeFileSync(file, xml, 'utf8')
  return file
}

/** One xmllint run over all the files: '' when every one validates, else what xmllint said. */
function schemaErrors(...xmls: string[]): string {
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, ...xmls.map(writeXml)], { encoding: 'utf8' })
  if (result.error) throw result.error
  return result.status === 0 ? '' : result.stderr
}

/** XPath by local names through xmllint's parser (`GrpHdr/CtrlSum`), so entities are decoded as a bank would. */
function read(xml: string, path: string): string {
  const expr = `string(//${path.split('/').map(n => n.startsWith('@') ? n : `*[local-name()='${n}']`).join('/')})`
  const result = spawnSync('xmllint', ['--xpath', expr, writeXml(xml)], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return result.stdout.replace(/\n$/, '')
}

/** Every element text of `tag` (a leaf), by a regex over the file as written. */
const texts = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([^<]*)</${tag}>`, 'g'))].map(m => m[1]!)

/** RFC 4180 records, parsed by hand: quoted fields, doubled quotes, CRLF record ends. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  const endField = () => {
    record.push(field)
    field = ''
  }
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]
    if (quoted && c === '"' && csv[i + 1] === '"') {
      field += '"'
      i++
    }
    else if (c === '"') quoted = !quoted
    else if (quoted) field += c
    else if (c === ',') endField()
    else if (c === '\r' && csv[i + 1] === '\n') {
      endField()
      records.push(record)
      record = []
      i++
    }
    else field += c
  }
  expect([quoted, field, record]).toEqual([false, '', []]) // the file ends with CRLF
  return records
}

/** An IBAN with correct check digits for a country and BBAN (ISO 13616). */
function ibanOf(country: string, bban: string): string {
  const digits = (bban + country + '00').replace(/[A-Z]/g, c => String(c.charCodeAt(0) - 55))
  let rest = 0
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97
  return `${country}${String(98 - rest).padStart(2, '0')}${bban}`
}

let sequence = 0
const payment = (over: Partial<BankPayment> = {}): BankPayment => ({
  endToEndId: `PR-000001-${++sequence}`,
  vendorName: 'Acme Supplies Ltd',
  amount: '100.00',
  currency: 'EUR',
  creditor: { iban: 'GB82 WEST 1234 5698 7654 32', bic: 'NWBKGB2L' },
  remittance: 'BILL-000001 INV-77',
  ...over,
})
const run = (payments: BankPayment[], over: Partial<BankFileRun> = {}): BankFileRun => ({
  messageId: 'PR-000001',
  createdAt: new Date('2026-12-01T09:30:15.250Z'),
  executionDate: '2026-12-03',
  debtor: { name: 'Paksa Demo Ltd', iban: 'de89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', glAccountCode: '1010' },
  currency: 'EUR',
  payments,
  ...over,
})

describe('pain.001.001.03', () => {
  it('one payment from an IBAN debtor: group header, one PmtInf, one transaction; valid against the ISO schema', () => {
    const xml = pain001(run([payment({ endToEndId: 'PR-000001-1', amount: '1250.5' })]))
    expect(schemaErrors(xml)).toBe('')
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">')).toBe(true)
    expect(read(xml, 'GrpHdr/MsgId')).toBe('PR-000001')
    expect(read(xml, 'GrpHdr/CreDtTm')).toBe('2026-12-01T09:30:15')
    expect(read(xml, 'GrpHdr/NbOfTxs')).toBe('1')
    expect(read(xml, 'GrpHdr/CtrlSum')).toBe('1250.50')
    expect(read(xml, 'GrpHdr/InitgPty/Nm')).toBe('Paksa Demo Ltd')
    expect(texts(xml, 'PmtInfId')).toEqual(['PR-000001-EUR'])
    expect(texts(xml, 'PmtMtd')).toEqual(['TRF'])
    expect(texts(xml, 'BtchBookg')).toEqual(['true'])
    expect(texts(xml, 'ReqdExctnDt')).toEqual(['2026-12-03'])
    expect(texts(xml, 'ChrgBr')).toEqual(['SLEV'])
    expect(read(xml, 'DbtrAcct/Id/IBAN')).toBe('DE89370400440532013000')
    expect(read(xml, 'DbtrAcct/Ccy')).toBe('EUR')
    expect(read(xml, 'DbtrAgt/FinInstnId/BIC')).toBe('COBADEFFXXX')
    expect(read(xml, 'CdtTrfTxInf/PmtId/EndToEndId')).toBe('PR-000001-1')
    expect(xml).toContain('<InstdAmt Ccy="EUR">1250.50</InstdAmt>')
    expect(read(xml, 'CdtrAgt/FinInstnId/BIC')).toBe('NWBKGB2L')
    expect(read(xml, 'CdtrAcct/Id/IBAN')).toBe('GB82WEST12345698765432')
    expect(read(xml, 'RmtInf/Ustrd')).toBe('BILL-000001 INV-77')
  })

  it('many payments: NbOfTxs counts them and CtrlSum is the exact decimal sum (1234567890123456.78 + 30 × 0.10 = 1234567890123459.78; JS numbers give …456.75: each 0.10 is lost)', () => {
    const payments = [payment({ amount: '1234567890123456.78' }), ...Array.from({ length: 30 }, () => payment({ amount: '0.10' }))]
    const xml = pain001(run(payments))
    expect(schemaErrors(xml)).toBe('')
    expect(read(xml, 'GrpHdr/NbOfTxs')).toBe('31')
    expect(read(xml, 'GrpHdr/CtrlSum')).toBe('1234567890123459.78')
    expect(texts(xml, 'CtrlSum')).toEqual(['1234567890123459.78', '1234567890123459.78'])
    expect(texts(xml, 'EndToEndId')).toEqual(payments.map(p => p.endToEndId))
    expect(payments.reduce((total, p) => total + Number(p.amount), 0).toFixed(2)).toBe('1234567890123456.75') // why Dec
  })

  it('a debtor without an IBAN: DbtrAcct is Othr/Id with the GL code, DbtrAgt Othr/Id NOTPROVIDED', () => {
    const xml = pain001(run([payment()], { debtor: { name: 'Paksa Demo Ltd', glAccountCode: ' 1010 ' } }))
    expect(schemaErrors(xml)).toBe('')
    expect(read(xml, 'DbtrAcct/Id/Othr/Id')).toBe('1010')
    expect(read(xml, 'DbtrAcct/Id/IBAN')).toBe('')
    expect(read(xml, 'DbtrAgt/FinInstnId/Othr/Id')).toBe('NOTPROVIDED')
  })

  it('several currencies: one PmtInf per currency in order of appearance, amounts to the minor unit (JPY 0, BHD 3), the group CtrlSum across them', () => {
    const payments = [
      payment({ currency: 'EUR', amount: '10.5' }),
      payment({ currency: 'JPY', amount: '125000', creditor: { accountNumber: '1234567', bankName: 'Mizuho Bank' } }),
      payment({ currency: 'BHD', amount: '12.5', creditor: { iban: 'BH67BMAG00001299123456' } }),
      payment({ currency: 'EUR', amount: '0.01' }),
      payment({ currency: 'BHD', amount: '0.1250' }), // numeric(20,4) from the database: fine, 0.125 has 3 places
      payment({ currency: 'JPY', amount: '7.0000' }),
    ]
    const xml = pain001(run(payments))
    expect(schemaErrors(xml)).toBe('')
    expect(texts(xml, 'PmtInfId')).toEqual(['PR-000001-EUR', 'PR-000001-JPY', 'PR-000001-BHD'])
    expect(texts(xml, 'NbOfTxs')).toEqual(['6', '2', '2', '2'])
    expect(texts(xml, 'CtrlSum')).toEqual(['125030.135', '10.51', '125007', '12.625'])
    expect(texts(xml, 'InstdAmt')).toEqual(['10.50', '0.01', '125000', '7', '12.500', '0.125'])
    expect([...xml.matchAll(/InstdAmt Ccy="([A-Z]{3})"/g)].map(m => m[1])).toEqual(['EUR', 'EUR', 'JPY', 'JPY', 'BHD', 'BHD'])
    expect(texts(xml, 'Ccy')).toEqual(['EUR', 'EUR', 'EUR']) // the debtor account's, in each PmtInf
    expect(xml).toContain('<Nm>Mizuho Bank</Nm>') // no BIC: the creditor agent by name
    expect(read(xml, 'CdtrAcct/Id/Othr/Id')).toBe('1234567')
  })

  it('escapes and transliterates names: &<>"\' and accents become the SEPA set, other scripts "?", and the parser reads back exactly that', () => {
    const names = [
      'Smith & Sons <Trading> "Best" O\'Neil',
      'Ærøskøbing Müller-Lüdenscheidt Straße',
      'Łódź Żółć — ﬁne Ｆｕｌｌ_width',
      'Ελληνικά 東京商事',
      'e\u0301tude', // decomposed accent
    ]
    const xml = pain001(run(names.map(vendorName => payment({ vendorName }))))
    expect(schemaErrors(xml)).toBe('')
    expect(texts(xml, 'Nm').slice(2)).toEqual([
      'Smith + Sons (Trading) &apos;Best&apos; O&apos;Neil',
      'AEroskobing Muller-Ludenscheidt Strasse',
      'Lodz Zolc - fine Full-width',
      '???????? ????',
      'etude',
    ])
    expect(read(xml, 'CdtTrfTxInf/Cdtr/Nm')).toBe('Smith + Sons (Trading) \'Best\' O\'Neil')
  })

  it('a lone surrogate, NUL and other control characters never make the file invalid: the whole file is printable ASCII', () => {
    const xml = pain001(run([payment({
      vendorName: 'Bad\uD800Name\u0000\u0007\u001F\u007F\u0085end\uDFFF',
      remittance: 'line 1\r\nline 2\ttab\u2028\u00ADsoft\u200Bzero',
      creditor: { iban: 'GB82WEST12345698765432', bankName: '\uDBFF' },
    })]))
    expect(xml).toMatch(/^[\x20-\x7E\n]*$/)
    expect(schemaErrors(xml)).toBe('')
    expect(read(xml, 'Cdtr/Nm')).toBe('Bad?Name end?')
    expect(read(xml, 'RmtInf/Ustrd')).toBe('line 1 line 2 tab softzero')
  })

  it('cuts free text to its maximum (Ustrd 140, names 70) and leaves out what is empty (no RmtInf, no CdtrAgt)', () => {
    const remittance = Array.from({ length: 40 }, (_, i) => `BILL-${String(i + 1).padStart(6, '0')}`).join(', ')
    const xml = pain001(run([
      payment({ remittance, vendorName: 'V'.repeat(200) }),
      payment({ remittance: ' \u0001 ', vendorName: '\u0000', creditor: { accountNumber: '000123-45' } }),
    ]))
    expect(schemaErrors(xml)).toBe('')
    const [first] = texts(xml, 'Ustrd')
    expect(first).toHaveLength(140)
    expect(remittance.startsWith(first!)).toBe(true)
    expect(texts(xml, 'Ustrd')).toHaveLength(1)
    expect(texts(xml, 'Nm').slice(2)).toEqual(['V'.repeat(70), 'NOTPROVIDED'])
    expect(xml.match(/<CdtrAgt>/g)).toHaveLength(1)
  })

  it('the schema check can fail: the same file with a 36-character MsgId or a word for NbOfTxs does not validate', () => {
    const xml = pain001(run([payment()]))
    expect(schemaErrors(xml.replace('<MsgId>PR-000001</MsgId>', `<MsgId>${'X'.repeat(36)}</MsgId>`))).toMatch(/MsgId/)
    expect(schemaErrors(xml.replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>one</NbOfTxs>'))).toMatch(/NbOfTxs/)
  })

  it.each<[string, BankFileRun]>([
    ['a MsgId over 35 characters (never cut: it identifies the file)', run([payment()], { messageId: 'M'.repeat(36) })],
    ['an EndToEndId with a space', run([payment({ endToEndId: 'PR 1' })])],
    ['an EndToEndId with //', run([payment({ endToEndId: 'PR//1' })])],
    ['the same EndToEndId twice', run([payment({ endToEndId: 'E2E-1' }), payment({ endToEndId: 'E2E-1' })])],
    ['an amount finer than the currency (EUR 10.005)', run([payment({ amount: '10.005' })])],
    ['an amount finer than the currency (JPY 1.5)', run([payment({ currency: 'JPY', amount: '1.5' })])],
    ['a zero amount', run([payment({ amount: '0.00' })])],
    ['a negative amount', run([payment({ amount: '-5.00' })])],
    ['an exponent', run([payment({ amount: '1e3' })])],
    ['more than 18 digits', run([payment({ currency: 'BHD', amount: '1234567890123456.000' })])],
    ['an unknown currency', run([payment({ currency: 'XXX' })])],
    ['a payment without bank details', run([payment({ creditor: { bankName: 'Some Bank' } })])],
    ['a debtor IBAN with a wrong check digit', run([payment()], { debtor: { name: 'D', iban: 'DE88370400440532013000', glAccountCode: '1010' } })],
    ['a debtor BIC that is not one', run([payment()], { debtor: { name: 'D', bic: 'COBA', glAccountCode: '1010' } })],
    ['a GL code that cannot be an account id', run([payment()], { debtor: { name: 'D', glAccountCode: 'Kasse #1' } })],
    ['an execution date that does not exist', run([payment()], { executionDate: '2026-02-30' })],
    ['no payments', run([])],
  ])('refuses %s (BankFileInputError), for the CSV too', (_, input) => {
    expect(() => pain001(input)).toThrow(BankFileInputError)
    expect(() => paymentsCsv(input)).toThrow(BankFileInputError)
  })
})

describe('splitPayable', () => {
  it('keeps payments with an IBAN or an account number, and lists the others with the reason', () => {
    const ok = [
      payment({ creditor: { iban: 'fr14 2004 1010 0505 0001 3m02 606' } }),
      payment({ creditor: { accountNumber: ' 12-3456-789 ' } }),
      payment({ creditor: { iban: '', accountNumber: '987654' } }),
    ]
    const missing = payment({ creditor: { iban: '  ', accountNumber: null, bankName: 'Bank' } })
    const typo = payment({ creditor: { iban: 'GB82WEST12345698765423' } })
    const odd = payment({ creditor: { accountNumber: 'Konto #7' } })
    const long = payment({ creditor: { accountNumber: '1'.repeat(35) } })
    const formula = payment({ creditor: { accountNumber: '=1+1' } })
    const bic = payment({ creditor: { iban: 'NL91ABNA0417164300', bic: 'ABNA' } })
    const tagged = [...ok, missing, typo, odd, long, formula, bic].map(p => ({ ...p, vendorId: p.endToEndId }))
    const { payable, withoutBankDetails } = splitPayable(tagged)
    expect(payable.map(p => p.vendorId)).toEqual(ok.map(p => p.endToEndId))
    expect(withoutBankDetails.map(w => [w.payment.vendorId, w.reason])).toEqual([
      [missing.endToEndId, 'no_account'],
      [typo.endToEndId, 'invalid_iban'],
      [odd.endToEndId, 'invalid_account_number'],
      [long.endToEndId, 'invalid_account_number'],
      [formula.endToEndId, 'invalid_account_number'],
      [bic.endToEndId, 'invalid_bic'],
    ])
    expect(schemaErrors(pain001(run(payable)))).toBe('')
  })

  it('checks IBAN check digits (ISO 13616 mod 97)', () => {
    expect(['DE89370400440532013000', 'GB82WEST12345698765432', 'NL91ABNA0417164300', 'BH67BMAG00001299123456'].map(isIban)).toEqual([true, true, true, true])
    expect(['DE89370400440532013001', 'GB28WEST12345698765432', 'DE89 3704', 'de89370400440532013000'].map(isIban)).toEqual([false, false, false, false])
  })
})

describe('payments CSV', () => {
  it('a header row and one line per payment, with full bank details, the amount to the minor unit, CRLF', () => {
    const payments = [
      payment({ vendorName: 'Müller GmbH', endToEndId: 'E-1', amount: '99.9' }),
      payment({ vendorName: '東京商事', endToEndId: 'E-2', currency: 'JPY', amount: '5000.0000', creditor: { accountNumber: '1234567', bic: 'mhcbjpjt', bankName: 'Mizuho' }, remittance: 'BILL-9' }),
    ]
    const csv = paymentsCsv(run(payments))
    expect(csv.split('\r\n')).toHaveLength(4)
    expect(parseCsv(csv)).toEqual([
      ['Vendor', 'IBAN', 'Account number', 'BIC', 'Bank name', 'Amount', 'Currency', 'Execution date', 'End-to-end ID', 'Remittance'],
      ['Müller GmbH', 'GB82WEST12345698765432', '', 'NWBKGB2L', '', '99.90', 'EUR', '2026-12-03', 'E-1', 'BILL-000001 INV-77'],
      ['東京商事', '', '1234567', 'MHCBJPJT', 'Mizuho', '5000', 'JPY', '2026-12-03', 'E-2', 'BILL-9'],
    ])
  })

  it('quotes fields with commas, quotes and line breaks (RFC 4180) and keeps one line per payment', () => {
    const csv = paymentsCsv(run([payment({ vendorName: 'Smith, Jones & "Partners"', remittance: 'BILL-1,\r\nBILL-2' })]))
    expect(csv).toContain('"Smith, Jones & ""Partners"""')
    expect(csv).toContain('"BILL-1,  BILL-2"')
    expect(parseCsv(csv)[1]![0]).toBe('Smith, Jones & "Partners"')
  })

  it('neutralises formulas: a cell starting with = + - @ (after spaces) gets a leading apostrophe; amounts are untouched', () => {
    const payments = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '  =1+1', 'Plain = fine'].map(vendorName => payment({ vendorName, remittance: '=cmd|\' /C calc\'!A0' }))
    const rows = parseCsv(paymentsCsv(run(payments))).slice(1)
    expect(rows.map(r => r[0])).toEqual(['\'=HYPERLINK("http://x","y")', '\'+1', '\'-2', '\'@SUM(A1)', '\'  =1+1', 'Plain = fine'])
    expect(rows.every(r => r[9] === '\'=cmd|\' /C calc\'!A0' && r[5] === '100.00')).toBe(true)
  })

  it('a lone surrogate becomes U+FFFD and control characters a space', () => {
    const rows = parseCsv(paymentsCsv(run([payment({ vendorName: 'A\uD800B\u0000C\tD' })])))
    expect(rows[1]![0]).toBe('A\uFFFDB C D')
  })

  it('its amounts add up, per currency, to the pain.001 control sums', () => {
    const input = run([
      payment({ amount: '0.10' }), payment({ amount: '0.20' }), payment({ currency: 'KWD', amount: '1.005' }),
      payment({ amount: '999999999.99' }), payment({ currency: 'KWD', amount: '0.995' }),
    ])
    const totals = new Map<string, Dec>()
    for (const r of parseCsv(paymentsCsv(input)).slice(1)) totals.set(r[6]!, (totals.get(r[6]!) ?? new Dec(0)).plus(r[5]!))
    const xml = pain001(input)
    expect([...totals].map(([ccy, total]) => total.toFixed(minorUnit(ccy)))).toEqual(texts(xml, 'CtrlSum').slice(1))
    expect(texts(xml, 'CtrlSum')).toEqual(['1000000002.290', '1000000000.29', '2.000'])
  })
})

describe('latinText', () => {
  it('never returns more than the maximum, even when transliteration lengthens the text (ß → ss)', () => {
    expect(latinText('ß'.repeat(100), 140)).toBe('s'.repeat(140))
  })
})

describe('property: random runs', () => {
  const nasty = fc.constantFrom('&', '<', '>', '"', '\'', '\uD800', '\uDC00', '\u0000', '\u001B', '\r\n', 'ß', 'Ø', '東', '😀', '\u0301', '\u00AD', ' ', '=', '-', ',')
  const text = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), nasty), { maxLength: 30 }).map(parts => parts.join(''))
  const currency = fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'KRW', 'BHD', 'KWD')
  const creditor = fc.oneof(
    fc.tuple(fc.stringMatching(/^[A-Z0-9]{10,26}$/), fc.constantFrom('DE', 'GB', 'FR', 'NL', 'BH')).map(([bban, country]) => ({ iban: ibanOf(country, bban) })),
    fc.record({ accountNumber: fc.stringMatching(/^[0-9][0-9-]{0,30}[0-9]$/), bic: fc.option(fc.constantFrom('NWBKGB2L', 'COBADEFFXXX', 'MHCBJPJT'), { nil: undefined }), bankName: fc.option(text, { nil: undefined }) }),
  )
  const randomPayment = fc.record({ currency, minor: fc.bigInt({ min: 1n, max: 10n ** 14n }), vendorName: text, remittance: text, creditor })
    .map(({ currency, minor, ...rest }) => {
      const places = minorUnit(currency)
      const digits = minor.toString().padStart(places + 1, '0')
      const amount = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`
      return { currency, amount, ...rest }
    })
  const randomRun = fc.record({
    payments: fc.array(randomPayment, { minLength: 1, maxLength: 8 }),
    debtorName: text,
    debtorIban: fc.option(fc.constant('DE89370400440532013000'), { nil: undefined }),
    createdAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  })

  it('100 runs: each is printable ASCII with NbOfTxs and exact CtrlSums, its CSV has one record per payment, and all validate against the schema', () => {
    const xmls: string[] = []
    fc.assert(fc.property(randomRun, ({ payments, debtorName, debtorIban, createdAt }) => {
      const input = run(payments.map((p, i) => ({ ...p, endToEndId: `E2E-${i + 1}` })), { createdAt, debtor: { name: debtorName, iban: debtorIban, glAccountCode: '1010' } })
      const xml = pain001(input)
      expect(xml).toMatch(/^[\x20-\x7E\n]*$/)
      expect(texts(xml, 'NbOfTxs')[0]).toBe(String(payments.length))
      const exact = sum(payments.map(p => new Dec(p.amount)))
      expect(new Dec(texts(xml, 'CtrlSum')[0]!).equals(exact)).toBe(true)
      const currencies = [...new Set(payments.map(p => p.currency))]
      expect(texts(xml, 'CtrlSum').slice(1)).toEqual(currencies.map(c => sum(payments.filter(p => p.currency === c).map(p => new Dec(p.amount))).toFixed(minorUnit(c))))
      expect(parseCsv(paymentsCsv(input))).toHaveLength(payments.length + 1)
      xmls.push(xml)
    }), { numRuns: 100 })
    expect(xmls).toHaveLength(100)
    expect(schemaErrors(...xmls)).toBe('')
  })
})
