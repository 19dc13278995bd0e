/**
 * ISO 20022 CAMT.053 (bank-to-customer statement), versions 001.02 and later (the elements read
 * here kept their names and places from 02 to 13; where v08 moved a name under `Pty`, both are
 * read). A file holds one or more `Stmt`; each gives its account (`Acct/Id/IBAN`, else
 * `Acct/Id/Othr/Id`), its currency, its balances (`OPBD` or `PRCD` opening, `CLBD` closing) and its
 * entries.
 *
 * An entry (`Ntry`) is booked when its status is `BOOK` (entries of any other status — pending,
 * information only — are not statement lines and are left out); its sign is `CdtDbtInd` (CRDT in,
 * DBIT out; a reversal's indicator already shows the reversal's direction), its date the booking
 * date, its bank id `AcctSvcrRef`. An entry with several transaction details becomes one line per
 * detail when every detail gives its own amount (a batch booking: the details must add up to the
 * entry), each with the detail's reference, counterparty and remittance text; otherwise one line.
 */
import { child, children, textAt, xmlWalker, type XmlNode } from './xml'
import { Dec } from '../money'
import { plainAmount, Problems, type Statement, type StatementBalance, type StatementLine } from './statement'

const COLLECT = new Set(['Acct', 'Bal', 'Ntry'])

const dateOf = (node: XmlNode | undefined) => {
  const raw = textAt(node, 'Dt') ?? textAt(node, 'DtTm')
  return raw && /^\d{4}-\d{2}-\d{2}/.test(raw) ? raw.slice(0, 10) : null
}

/** A signed amount from an `Amt` and the `CdtDbtInd` beside it. */
function signed(amt: XmlNode | undefined, indicator: string | null): string | null {
  const digits = amt?.text.trim()
  if (!digits || (indicator !== 'CRDT' && indicator !== 'DBIT')) return null
  return plainAmount(digits, indicator === 'DBIT')
}

const partyName = (node: XmlNode | undefined) => textAt(node, 'Nm') ?? textAt(node, 'Pty', 'Nm')

export function parseCamt053(chunks: Iterable<string>): Statement[] {
  const reader = camt053Reader()
  for (const chunk of chunks) reader.write(chunk)
  return reader.close()
}

/**
 * parseCamt053 as a writer the caller feeds chunk by chunk (the worker, reporting progress between
 * chunks): `lines` counts the lines read so far; `close` checks the whole file and returns its statements.
 */
export function camt053Reader(): { write: (chunk: string) => void, close: () => Statement[], lines: () => number } {
  const statements: Statement[] = []
  const problems = new Problems()
  let current: Statement | null = null
  let entryNo = 0
  let lineCount = 0

  const walker = xmlWalker(COLLECT, (node, path) => {
    if (path.at(-1) !== 'Stmt' || !current) return
    if (node.name === 'Acct') {
      current.account = { iban: textAt(node, 'Id', 'IBAN'), number: textAt(node, 'Id', 'Othr', 'Id') }
      current.currency = textAt(node, 'Ccy')
    }
    else if (node.name === 'Bal') {
      const code = textAt(node, 'Tp', 'CdOrPrtry', 'Cd')
      const amount = signed(child(node, 'Amt'), textAt(node, 'CdtDbtInd'))
      const date = dateOf(child(node, 'Dt'))
      if (!amount || !date) return problems.add(`Bal (line ${node.line})`, 'a balance needs an amount, CdtDbtInd and a date')
      const balance: StatementBalance = { amount, date }
      if (code === 'CLBD') current.closing = balance
      else if (code === 'OPBD' || (code === 'PRCD' && !current.opening)) current.opening = balance
    }
    else {
      entryNo++
      const lines = entryLines(node, `Ntry ${entryNo} (line ${node.line})`, problems)
      lineCount += lines.length
      for (const line of lines) current.lines.push(line)
    }
  }, (name, path) => {
    if (name === 'Stmt' && path.at(-1) === 'BkToCstmrStmt') {
      current = { account: null, currency: null, opening: null, closing: null, lines: [] }
      statements.push(current)
    }
  })
  return {
    write: chunk => walker.write(chunk),
    lines: () => lineCount,
    close: () => {
      walker.close()
      if (!statements.length) problems.add('Document', 'no BkToCstmrStmt/Stmt: not a CAMT.053 statement')
      problems.check()
      return statements
    },
  }
}

function entryLines(ntry: XmlNode, at: string, problems: Problems): StatementLine[] {
  const status = textAt(ntry, 'Sts', 'Cd') ?? textAt(ntry, 'Sts')
  if (status !== 'BOOK') return []
  const indicator = textAt(ntry, 'CdtDbtInd')
  const amount = signed(child(ntry, 'Amt'), indicator)
  const date = dateOf(child(ntry, 'BookgDt')) ?? dateOf(child(ntry, 'ValDt'))
  if (!amount) {
    problems.add(at, 'an entry needs Amt and CdtDbtInd (CRDT or DBIT)')
    return []
  }
  if (!date) {
    problems.add(at, 'an entry needs a booking date')
    return []
  }
  const entryRef = textAt(ntry, 'AcctSvcrRef') ?? textAt(ntry, 'NtryRef')
  const entryText = textAt(ntry, 'AddtlNtryInf')
  const details = children(ntry, 'NtryDtls').flatMap(d => children(d, 'TxDtls'))
  const line = (tx: XmlNode | undefined, lineAmount: string): StatementLine => {
    const credit = !lineAmount.startsWith('-')
    const parties = child(tx, 'RltdPties')
    const ustrd = children(child(tx, 'RmtInf'), 'Ustrd').map(u => u.text.trim()).filter(Boolean).join(' ')
    return {
      date,
      amount: lineAmount,
      description: [ustrd, textAt(tx, 'AddtlTxInf'), entryText].find(Boolean) ?? '',
      reference: textAt(tx, 'Refs', 'EndToEndId') ?? textAt(tx, 'Refs', 'InstrId') ?? textAt(tx, 'RmtInf', 'Strd', 'CdtrRefInf', 'Ref') ?? null,
      bankId: textAt(tx, 'Refs', 'AcctSvcrRef') ?? entryRef,
      counterparty: partyName(child(parties, credit ? 'Dbtr' : 'Cdtr')) ?? null,
      source: tx ? `${at}, TxDtls (line ${tx.line})` : at,
    }
  }
  if (details.length > 1) {
    const amounts = details.map((tx) => {
      const amt = child(tx, 'Amt') ?? child(tx, 'AmtDtls', 'TxAmt', 'Amt')
      return amt ? signed(amt, textAt(tx, 'CdtDbtInd') ?? indicator) : null
    })
    if (amounts.every(a => a !== null)) {
      const total = amounts.reduce((s, a) => s.plus(a!), new Dec(0))
      if (!total.eq(amount)) {
        problems.add(at, `the transaction details add up to ${total.toFixed()}, the entry says ${amount}`)
        return []
      }
      return details.map((tx, i) => line(tx, amounts[i]!))
    }
  }
  return [line(details[0], amount)]
}
