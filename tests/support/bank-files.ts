/**
 * Large bank statements made up for the worker-path tests and the benchmark (bench/bank.ts): a
 * CAMT.053 file with one booked entry per line, each with the bank's id, a counterparty and
 * remittance text, and a CSV of the same lines. `badAt` (1-based) gives that entry an amount no
 * parser takes, so the file is malformed there.
 */
export interface StatementFileOptions {
  lines: number
  iban?: string
  currency?: string
  /** Entry (1-based) whose amount is malformed. */
  badAt?: number
  /** First bank id number: files with other ranges are new lines, the same range duplicates. */
  firstId?: number
  /** The year of the lines' dates (default 2026). */
  year?: number
  /**
   * Entries without transaction details (the text in AddtlNtryInf, no counterparty): about 175 bytes
   * each, so 100,000 of them fit the import's 20 MiB (with details they take some 275 bytes).
   */
  compact?: boolean
}

const dateOf = (i: number, year = 2026) => `${year}-${String((Math.floor(i / 28) % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`
const amountOf = (i: number) => `${(i % 9000) + 1}.${String(i % 100).padStart(2, '0')}`

export function camt053File(o: StatementFileOptions): string {
  const first = o.firstId ?? 1
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>',
    '<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-12-31T06:00:00Z</CreDtTm></GrpHdr>\n<Stmt><Id>BIG</Id>',
    `<Acct><Id><IBAN>${o.iban ?? 'DE89370400440532013000'}</IBAN></Id><Ccy>${o.currency ?? 'EUR'}</Ccy></Acct>\n`,
  ]
  for (let n = 1; n <= o.lines; n++) {
    const i = first + n - 1
    const credit = i % 3 === 0
    const head = `<Ntry><Amt Ccy="${o.currency ?? 'EUR'}">${n === o.badAt ? '12,3.4' : amountOf(i)}</Amt><CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>`
      + `<BookgDt><Dt>${dateOf(i, o.year)}</Dt></BookgDt><AcctSvcrRef>B${i}</AcctSvcrRef>`
    if (o.compact) {
      parts.push(`${head}<AddtlNtryInf>INV-${String(i).padStart(6, '0')}</AddtlNtryInf></Ntry>\n`)
      continue
    }
    parts.push(`${head}<NtryDtls><TxDtls><RltdPties><${credit ? 'Dbtr' : 'Cdtr'}><Nm>Party ${i % 500}</Nm></${credit ? 'Dbtr' : 'Cdtr'}></RltdPties>`
      + `<RmtInf><Ustrd>INV-${String(i).padStart(6, '0')}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`)
  }
  parts.push('</Stmt></BkToCstmrStmt></Document>\n')
  return parts.join('')
}

/** The same lines as a CSV (`Date,Text,Reference,Amount`, ISO dates, `.` decimals), with its mapping. */
export function csvFile(o: StatementFileOptions): { content: string, mapping: Record<string, unknown> } {
  const first = o.firstId ?? 1
  const rows = ['Date,Text,Reference,Amount']
  for (let n = 1; n <= o.lines; n++) {
    const i = first + n - 1
    rows.push(`${dateOf(i, o.year)},Payment ${i},R${i},${n === o.badAt ? 'twelve' : `${i % 3 === 0 ? '' : '-'}${amountOf(i)}`}`)
  }
  return {
    content: `${rows.join('\n')}\n`,
    mapping: { date: 'Date', description: 'Text', reference: 'Reference', amount: 'Amount', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' },
  }
}
