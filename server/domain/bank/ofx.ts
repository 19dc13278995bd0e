/**
 * OFX bank and credit-card statements, 1.x (SGML) and 2.x (XML).
 *
 * OFX 1.x is SGML: a block of `KEY:VALUE` headers, a blank line, then tags whose leaf elements
 * are usually not closed (`<TRNAMT>-12.50` and the next tag). `sgmlToXml` closes each leaf where
 * its value ends (the next tag), escapes a bare `&`, and keeps every line break, so the XML parser
 * (xml.ts) reads it and a fault is reported at the line of the original file. OFX 2.x is XML and
 * goes to the parser as it is.
 *
 * Each `STMTRS`/`CCSTMTRS` is a statement: its account (`BANKACCTFROM/ACCTID`, `CCACCTFROM/ACCTID`),
 * `CURDEF`, `LEDGERBAL` as the closing balance; each `STMTTRN` a line: `DTPOSTED` (its date part;
 * `YYYYMMDD…`), `TRNAMT` signed as written, `FITID` the bank's id, `NAME` or `PAYEE/NAME` the
 * counterparty, `MEMO` (else the name) the text, `CHECKNUM`/`REFNUM` the reference.
 */
import { child, textAt, walkXml, type XmlNode } from './xml'
import { isoDate, plainAmount, Problems, StatementError, type Statement, type StatementLine } from './statement'

const COLLECT = new Set(['BANKACCTFROM', 'CCACCTFROM', 'CURDEF', 'LEDGERBAL', 'STMTTRN'])

/** `20260302`, `20260302120000.000[-5:EST]` → `2026-03-02`. */
function ofxDate(raw: string | null): string | null {
  const m = raw && /^(\d{4})(\d{2})(\d{2})/.exec(raw)
  return m ? isoDate(m[1]!, m[2]!, m[3]!) : null
}

/** An OFX amount: `-12.50`, `+3`, `.5`, and (as some banks write) `-12,50`. */
function ofxAmount(raw: string | null): string | null {
  const m = raw && /^([-+]?)(\d*)(?:[.,](\d+))?$/.exec(raw)
  if (!m || (!m[2] && !m[3])) return null
  return plainAmount(`${m[2] || '0'}${m[3] ? `.${m[3]}` : ''}`, m[1] === '-')
}

/**
 * The SGML body of an OFX 1.x file as XML, line for line: every element whose value is not
 * followed by its own end tag gets one, `&` that starts no entity becomes `&amp;`. Aggregates (tags
 * with no value) are left as they are: OFX 1.x closes them.
 */
export function sgmlToXml(body: string): string {
  return body.replace(/<([A-Za-z0-9.]+)>([^<]*)(?=<(\/?)([A-Za-z0-9.]*)>|$)/g, (all, tag: string, content: string, slash: string, next: string) => {
    const value = content.replace(/\s+$/, '')
    if (!value) return all
    const trailing = content.slice(value.length)
    const escaped = value.replace(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/gi, '&amp;')
    return slash && next === tag ? `<${tag}>${escaped}${trailing}` : `<${tag}>${escaped}</${tag}>${trailing}`
  })
}

/** The XML of an OFX file of either version, with the line its body starts on (for 1.x, after the headers). */
function ofxXml(text: string): string {
  const body = text.replace(/^\uFEFF/, '')
  if (/^\s*<\?xml/.test(body)) return body
  const start = body.search(/<OFX>/i)
  if (start < 0 || !/^\s*OFXHEADER\s*:/i.test(body)) throw new StatementError({ 'line 1': 'not an OFX file: no OFXHEADER and <OFX>' })
  // headers are replaced by as many empty lines, so line numbers stay those of the file
  return body.slice(0, start).replace(/[^\n]/g, '') + sgmlToXml(body.slice(start))
}

export function parseOfx(text: string): Statement[] {
  const statements: Statement[] = []
  const problems = new Problems()
  let current: Statement | null = null
  walkXml([ofxXml(text)], COLLECT, (node: XmlNode) => {
    if (!current) return
    switch (node.name) {
      case 'BANKACCTFROM':
      case 'CCACCTFROM': {
        const id = textAt(node, 'ACCTID')
        current.account = { iban: id && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(id.replace(/\s/g, '')) ? id : null, number: id }
        break
      }
      case 'CURDEF':
        current.currency = node.text.trim() || null
        break
      case 'LEDGERBAL': {
        const amount = ofxAmount(textAt(node, 'BALAMT'))
        const date = ofxDate(textAt(node, 'DTASOF'))
        if (amount && date) current.closing = { amount, date }
        break
      }
      case 'STMTTRN': {
        const line = transaction(node, problems)
        if (line) current.lines.push(line)
      }
    }
  }, (name) => {
    if (name === 'STMTRS' || name === 'CCSTMTRS') {
      current = { account: null, currency: null, opening: null, closing: null, lines: [] }
      statements.push(current)
    }
  })
  if (!statements.length) problems.add('OFX', 'no statement (STMTRS or CCSTMTRS) in the file')
  problems.check()
  return statements
}

function transaction(node: XmlNode, problems: Problems): StatementLine | null {
  const at = `line ${node.line}`
  const date = ofxDate(textAt(node, 'DTPOSTED'))
  const amount = ofxAmount(textAt(node, 'TRNAMT'))
  // a fault is placed at its element's line, or the transaction's when the element is missing
  const where = (name: string) => `line ${child(node, name)?.line ?? node.line}`
  if (!date) problems.add(where('DTPOSTED'), `DTPOSTED ${JSON.stringify(textAt(node, 'DTPOSTED') ?? '')} is not a date YYYYMMDD`)
  if (!amount) problems.add(where('TRNAMT'), `TRNAMT ${JSON.stringify(textAt(node, 'TRNAMT') ?? '')} is not an amount`)
  if (!date || !amount) return null
  const name = textAt(node, 'NAME') ?? textAt(child(node, 'PAYEE'), 'NAME')
  return {
    date,
    amount,
    description: textAt(node, 'MEMO') ?? name ?? textAt(node, 'TRNTYPE') ?? '',
    reference: textAt(node, 'CHECKNUM') ?? textAt(node, 'REFNUM'),
    bankId: textAt(node, 'FITID'),
    counterparty: name,
    source: at,
  }
}
