/**
 * The statement parsers (issue 14 point 2) on files written like the banks write them: a German CSV
 * (`;`, decimal commas, quoted text with the delimiter and doubled quotes), a US CSV with debit and
 * credit columns, OFX 1.x (SGML headers, unclosed leaf tags, a bare `&`) and 2.x (XML, two
 * accounts), CAMT.053 v02 (a batched entry split per detail, a pending entry left out) and v08
 * (`Sts/Cd`, `Pty/Nm`, `Othr` account, PRCD opening). Expected figures are worked out by hand.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { camt053Reader, parseCamt053 } from '../../server/domain/bank/camt053'
import { detectDelimiter, parseCsvStatement } from '../../server/domain/bank/csv-statement'
import { linesAtMost } from '../../server/domain/bank/import-jobs'
import { parseOfx, sgmlToXml } from '../../server/domain/bank/ofx'
import { datePattern, lineKeys, parseAmount, StatementError, statementsFor } from '../../server/domain/bank/statement'

const file = (name: string) => readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url), 'utf8')
const pick = (lines: object[], ...keys: string[]) => lines.map(l => Object.fromEntries(keys.map(k => [k, (l as Record<string, unknown>)[k]])))
const refusal = (fn: () => unknown): Record<string, string> => {
  try {
    fn()
  }
  catch (e) {
    if (e instanceof StatementError) return e.fields
    throw e
  }
  throw new Error('expected a StatementError')
}

describe('amounts and dates as files write them', () => {
  it.each([
    ['1.234,56', ',', '.', '1234.56'],
    ['-1.234,56', ',', '.', '-1234.56'],
    ['(1,234.56)', '.', ',', '-1234.56'],
    ['1 234,56', ',', ' ', '1234.56'],
    ['1\u00A0234,56', ',', ' ', '1234.56'],
    ['12.50-', '.', '', '-12.5'],
    ['+0,37', ',', '', '0.37'],
    ['1,2345', ',', '', '1.2345'],
    ['1.23456', '.', '', null],
    ['1e5', '.', '', null],
    ['12,34,5', '.', ',', null],
    ['1.234.56', ',', '.', null],
    ['', '.', '', null],
    ['10000000000000000', '.', '', null],
  ] as const)('%s (decimal %s, thousands %s) → %s', (raw, decimalSeparator, thousandsSeparator, expected) => {
    expect(parseAmount(raw, { decimalSeparator, thousandsSeparator })).toBe(expected)
  })

  it('reads dates by pattern and refuses what is not a calendar date', () => {
    expect(datePattern('DD.MM.YYYY')!('02.03.2026')).toBe('2026-03-02')
    expect(datePattern('DD.MM.YYYY')!('31.02.2026')).toBeNull()
    expect(datePattern('M/D/YY')!('3/2/26')).toBe('2026-03-02')
    expect(datePattern('YYYYMMDD')!('20260302')).toBe('2026-03-02')
    expect(datePattern('YYYY-MM-DD')!('2026-3-2')).toBeNull()
    expect(datePattern('DD/MM')).toBeNull()
    expect(datePattern('DD.MM.YYYY')!('01.01.0001')).toBeNull()
  })
})

describe('CSV', () => {
  it('reads a German export: `;` detected, decimal commas, thousands dots, quoted text', () => {
    const text = file('european.csv')
    expect(detectDelimiter(text)).toBe(';')
    const [s] = parseCsvStatement(text, { date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', reference: 'referenz', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.' })
    expect(s!.account).toBeNull()
    expect(pick(s!.lines, 'date', 'amount', 'description', 'reference', 'source')).toEqual([
      { date: '2026-03-02', amount: '1234.56', description: 'Rechnung INV-000123; vielen Dank', reference: 'REF-1', source: 'line 2' },
      { date: '2026-03-03', amount: '-89.9', description: 'Abschlag März', reference: null, source: 'line 3' },
      { date: '2026-03-05', amount: '-1500', description: 'Miete "März"', reference: 'DA-77', source: 'line 4' },
      { date: '2026-03-05', amount: '-1500', description: 'Miete "März"', reference: 'DA-77', source: 'line 5' },
      { date: '2026-03-31', amount: '-4.5', description: 'Kontoführung', reference: null, source: 'line 6' },
    ])
    // the two identical rent lines are two lines: the same hash, positions 1 and 2
    const keys = lineKeys(s!.lines)
    expect(new Set(keys).size).toBe(5)
    expect(keys[2]!.replace(/#1$/, '')).toBe(keys[3]!.replace(/#2$/, ''))
  })

  it('reads debit and credit columns, by number when there is no header', () => {
    const text = file('us-debit-credit.csv')
    const [s] = parseCsvStatement(text, { date: 'Date', debit: 'Debit', credit: 'Credit', description: 'Description', reference: 'Check #', dateFormat: 'M/D/YYYY', decimalSeparator: '.', thousandsSeparator: ',' })
    expect(pick(s!.lines, 'date', 'amount', 'description', 'reference')).toEqual([
      { date: '2026-03-02', amount: '1250', description: 'ACME SUPPLY, INC.', reference: null },
      { date: '2026-03-04', amount: '-2000', description: 'Office rent', reference: '1042' },
      { date: '2026-03-09', amount: '-15', description: 'Wire fee', reference: null },
      { date: '2026-03-31', amount: '0.37', description: 'Interest', reference: null },
    ])
    const [byNumber] = parseCsvStatement(text, { hasHeader: false, skipRows: 1, date: 1, debit: 3, credit: 4, description: 2, dateFormat: 'M/D/YYYY', decimalSeparator: '.', thousandsSeparator: ',' })
    expect(byNumber!.lines.map(l => l.amount)).toEqual(['1250', '-2000', '-15', '0.37'])
    expect(byNumber!.lines[0]!.source).toBe('line 2')
  })

  it('names every bad row by its line, and a mapping that does not fit the file', () => {
    const text = 'Date;Text;Amount\n02.03.2026;ok;1,00\n30.02.2026;bad date;2,00\n04.03.2026;bad amount;1.2.3\n05.03.2026;both;\n'
    expect(refusal(() => parseCsvStatement(text, { date: 'Date', amount: 'Amount', description: 'Text', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' }))).toEqual({
      'line 3': 'date "30.02.2026" does not match DD.MM.YYYY',
      'line 4': 'amount "1.2.3" is not a number with "," as the decimal separator',
      'line 5': 'amount "" is not a number with "," as the decimal separator',
    })
    expect(Object.keys(refusal(() => parseCsvStatement(text, { date: 'Datum', amount: 'Amount', description: 'Text', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' })))).toEqual(['mapping.date'])
    expect(Object.keys(refusal(() => parseCsvStatement('a,"b\n', { date: 1, amount: 2, description: 1, dateFormat: 'DD.MM.YYYY', decimalSeparator: '.', hasHeader: false })))).toEqual(['line 1'])
  })
})

describe('OFX', () => {
  it('reads OFX 1.x SGML: headers, unclosed leaves, a closed one, a bare ampersand, PAYEE/NAME', () => {
    const [s, ...rest] = parseOfx(file('ofx1.ofx'))
    expect(rest).toHaveLength(0)
    expect(s!.account).toEqual({ iban: null, number: '4412-7788-01' })
    expect(s!.currency).toBe('USD')
    expect(s!.closing).toEqual({ amount: '-764.63', date: '2026-03-31' })
    expect(pick(s!.lines, 'date', 'amount', 'description', 'reference', 'bankId', 'counterparty')).toEqual([
      { date: '2026-03-02', amount: '1250', description: 'INV-000123', reference: null, bankId: '202603020001', counterparty: 'ACME SUPPLY & SONS' },
      { date: '2026-03-04', amount: '-2000', description: 'Harbor Properties LLC', reference: '1042', bankId: '202603040007', counterparty: 'Harbor Properties LLC' },
      { date: '2026-03-09', amount: '-15', description: 'WIRE FEE', reference: null, bankId: '202603090003', counterparty: 'WIRE FEE' },
    ])
  })

  it('keeps the line numbers of the file when it closes SGML leaves', () => {
    const body = '<OFX>\n<A>\n<B>1 & 2\n<C>x</C>\n</A>\n</OFX>'
    expect(sgmlToXml(body)).toBe('<OFX>\n<A>\n<B>1 &amp; 2</B>\n<C>x</C>\n</A>\n</OFX>')
    const broken = file('ofx1.ofx').replace('<TRNAMT>-2000.00', '<TRNAMT>-2.000,00x')
    const line = file('ofx1.ofx').split('\n').findIndex(l => l === '<TRNAMT>-2000.00') + 1
    expect(refusal(() => parseOfx(broken))).toEqual({ [`line ${line}`]: 'TRNAMT "-2.000,00x" is not an amount' })
  })

  it('reads OFX 2.x XML with two accounts; the file\'s statements are picked by the bank account', () => {
    const statements = parseOfx(file('ofx2.ofx'))
    expect(statements.map(s => s.account?.iban)).toEqual(['DE89370400440532013000', 'DE02120300000000202051'])
    expect(pick(statements[0]!.lines, 'amount', 'description', 'counterparty', 'bankId')).toEqual([
      { amount: '-89.9', description: 'Abschlag März', counterparty: 'Stadtwerke', bankId: 'A-1' },
      { amount: '300', description: 'Kunde & Partner', counterparty: 'Kunde & Partner', bankId: 'A-2' },
    ])
    expect(statementsFor(statements, { iban: 'DE89 3704 0044 0532 0130 00', number: null })).toEqual([statements[0]])
    expect(statementsFor(statements, { iban: null, number: 'de02120300000000202051' })).toEqual([statements[1]])
    expect(statementsFor(statements, { iban: 'GB29NWBK60161331926819', number: null })).toBeNull()
  })

  it('refuses what is not OFX', () => {
    expect(refusal(() => parseOfx('Date,Amount\n'))).toEqual({ 'line 1': 'not an OFX file: no OFXHEADER and <OFX>' })
  })
})

describe('CAMT.053', () => {
  it('reads v02: balances, a batched entry as one line per detail, a pending entry left out', () => {
    const [s, ...rest] = parseCamt053([file('camt053-v02.xml')])
    expect(rest).toHaveLength(0)
    expect(s!.account).toEqual({ iban: 'DE89370400440532013000', number: null })
    expect(s!.currency).toBe('EUR')
    expect(s!.opening).toEqual({ amount: '10000', date: '2026-02-28' })
    expect(s!.closing).toEqual({ amount: '9084.5', date: '2026-03-31' })
    expect(pick(s!.lines, 'date', 'amount', 'description', 'reference', 'bankId', 'counterparty')).toEqual([
      { date: '2026-03-02', amount: '1234.5', description: 'Rechnung INV-000123', reference: 'INV-000123', bankId: '2026030200001', counterparty: 'Müller GmbH' },
      { date: '2026-03-05', amount: '-1500', description: 'Miete März', reference: 'PAY-000001', bankId: '2026030500017', counterparty: 'Büro & Co KG' },
      { date: '2026-03-05', amount: '-649', description: 'RE 2026-114', reference: 'PAY-000002', bankId: '2026030500017', counterparty: 'Papier Schmidt' },
      { date: '2026-03-31', amount: '-1', description: 'Kontoführungsentgelt', reference: null, bankId: '2026033100002', counterparty: null },
    ])
    // opening + lines = closing, to the cent
    const sum = s!.lines.reduce((t, l) => t + Math.round(Number(l.amount) * 100), Math.round(Number(s!.opening!.amount) * 100))
    expect(sum).toBe(Math.round(Number(s!.closing!.amount) * 100))
    // one bank reference across the batch's details: position tells them apart
    expect(lineKeys(s!.lines)).toEqual(['id:2026030200001#1', 'id:2026030500017#1', 'id:2026030500017#2', 'id:2026033100002#1'])
  })

  it('reads v08: Sts/Cd, Pty/Nm, an Othr account, PRCD as the opening, DtTm dates, two statements', () => {
    const statements = parseCamt053([file('camt053-v08.xml')])
    expect(statements.map(s => s.account)).toEqual([{ iban: null, number: '0012-3456-7' }, { iban: 'CH9300762011623852957', number: null }])
    expect(statements[0]!.opening).toEqual({ amount: '-500', date: '2026-02-28' })
    expect(statements[0]!.closing).toEqual({ amount: '700', date: '2026-03-31' })
    expect(pick(statements[0]!.lines, 'date', 'amount', 'reference', 'counterparty', 'bankId')).toEqual([
      { date: '2026-03-10', amount: '700', reference: 'E2E-1', counterparty: 'Alpine AG', bankId: 'X-77' },
      { date: '2026-03-10', amount: '500', reference: 'E2E-2', counterparty: 'Berg GmbH', bankId: 'X-77' },
    ])
    expect(statementsFor(statements, { iban: null, number: '001234567' })).toEqual([statements[0]])
  })

  it('reads a file arriving in chunks the same as whole', () => {
    const text = file('camt053-v02.xml')
    const chunks = text.match(/[\s\S]{1,97}/g)!
    expect(parseCamt053(chunks)).toEqual(parseCamt053([text]))
  })

  it('refuses a DTD (so no entity, internal or external, is ever expanded)', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&x;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>`
    expect(refusal(() => parseCamt053([xxe]))).toEqual({ 'line 2': 'a DTD (DOCTYPE) is not allowed' })
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<d>&b;</d>`
    expect(Object.values(refusal(() => parseCamt053([bomb])))).toEqual(['a DTD (DOCTYPE) is not allowed'])
  })

  it('refuses malformed XML at its line, and an entry whose details do not add up', () => {
    const broken = file('camt053-v02.xml').replace('<Sts>BOOK</Sts>\n        <BookgDt><Dt>2026-03-31</Dt>', '<Sts>BOOK</Sts>\n        <BookgDt><Dt>2026-03-31</Dt></Dt>')
    const fields = refusal(() => parseCamt053([broken]))
    expect(Object.keys(fields)).toHaveLength(1)
    expect(Object.keys(fields)[0]).toMatch(/^line \d+$/)
    const uneven = file('camt053-v02.xml').replace('<Amt Ccy="EUR">649.00</Amt>', '<Amt Ccy="EUR">648.00</Amt>')
    expect(Object.values(refusal(() => parseCamt053([uneven])))).toEqual(['the transaction details add up to -2148, the entry says -2149'])
    expect(refusal(() => parseCamt053(['<Document><Other/></Document>']))).toEqual({ Document: 'no BkToCstmrStmt/Stmt: not a CAMT.053 statement' })
  })
})

describe('the line bound that sends a file to the worker (linesAtMost)', () => {
  const mapping = { date: 1, amount: 2, description: 3, dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' as const }
  it('is never below the lines the parsers read, and close to them', () => {
    for (const name of ['camt053-v02.xml', 'camt053-v08.xml']) {
      const lines = parseCamt053([file(name)]).flatMap(s => s.lines).length
      expect(linesAtMost('camt053', file(name), null)).toBeGreaterThanOrEqual(lines)
    }
    for (const name of ['ofx1.ofx', 'ofx2.ofx']) {
      expect(linesAtMost('ofx', file(name), null)).toBe(parseOfx(file(name)).flatMap(s => s.lines).length)
    }
    const csv = 'Date,Amount,Text\r\n2026-03-01,1.00,"two\r\nlines"\r\n2026-03-02,2.00,b\r\n'
    expect(parseCsvStatement(csv, { ...mapping, hasHeader: true }).flatMap(s => s.lines)).toHaveLength(2)
    expect(linesAtMost('csv', csv, { ...mapping, hasHeader: true })).toBeGreaterThanOrEqual(2)
    expect(linesAtMost('csv', '2026-03-01,1.00,a\n2026-03-02,2.00,b', { ...mapping, hasHeader: false })).toBe(2)
  })

  it('counts a batch booking as its details, and reads a file fed in pieces as a whole', () => {
    const text = file('camt053-v02.xml')
    const reader = camt053Reader()
    for (let i = 0; i < text.length; i += 97) reader.write(text.slice(i, i + 97))
    expect(reader.close()).toEqual(parseCamt053([text]))
    expect(reader.lines()).toBe(parseCamt053([text]).flatMap(s => s.lines).length)
  })
})
