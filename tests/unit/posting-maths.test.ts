/**
 * The posting arithmetic (server/domain/ledger/posting-maths.ts) without a database: line amounts
 * converted at the rate and rounded half-up to the base minor unit, the decimals and range checks,
 * the balance check and the FX rounding line. Every expected figure is worked by hand in a comment.
 */
import { describe, expect, it } from 'vitest'
import { baseResidual, decimalsError, lineAmounts, roundingLine, toBase, totalsError, type AmountInput, type EntryAmounts } from '../../server/domain/ledger/posting-maths'
import { Dec } from '../../server/domain/money'

/** An entry in `currency` with base `base` at `rate`. */
function entry(currency: string, base: string, rate: string, places = 2): EntryAmounts {
  return { base, currency, places, rate: new Dec(rate) }
}

const usd = entry('USD', 'USD', '1')
const amounts = (lines: AmountInput[], a: EntryAmounts) => lines.map(l => lineAmounts(l, a))
const strings = (l: { debit: Dec, credit: Dec, baseDebit: Dec, baseCredit: Dec }) =>
  ({ debit: l.debit.toFixed(), credit: l.credit.toFixed(), baseDebit: l.baseDebit.toFixed(), baseCredit: l.baseCredit.toFixed() })

describe('line amounts', () => {
  it('keeps an entry in the base currency as it is, a missing side as zero', () => {
    expect(strings(lineAmounts({ debit: '1234.56' }, usd))).toEqual({ debit: '1234.56', credit: '0', baseDebit: '1234.56', baseCredit: '0' })
    expect(strings(lineAmounts({ credit: '0.01' }, usd))).toEqual({ debit: '0', credit: '0.01', baseDebit: '0', baseCredit: '0.01' })
  })

  it('converts at the rate and rounds half-up to the base minor unit, never half-even', () => {
    // 0.25 EUR × 0.5 = 0.125 USD → 0.13 (half-even would give 0.12).
    expect(toBase(new Dec('0.25'), entry('EUR', 'USD', '0.5')).toFixed(2)).toBe('0.13')
    // 0.45 × 0.5 = 0.225 → 0.23 (half-even: 0.22).
    expect(toBase(new Dec('0.45'), entry('EUR', 'USD', '0.5')).toFixed(2)).toBe('0.23')
    // 100.05 EUR × 1.0825 = 108.304125 → 108.30 (below the half: down).
    expect(toBase(new Dec('100.05'), entry('EUR', 'USD', '1.0825')).toFixed(2)).toBe('108.30')
    // 0.50 USD × 105 = 52.5 JPY → 53 (a base without decimals; half-even: 52).
    expect(toBase(new Dec('0.50'), entry('USD', 'JPY', '105')).toFixed()).toBe('53')
    // 1.50 USD × 150.333 = 225.4995 JPY → 225.
    expect(toBase(new Dec('1.50'), entry('USD', 'JPY', '150.333')).toFixed()).toBe('225')
    // 1.00 USD × 0.3075 = 0.3075 KWD → 0.308 (three decimals).
    expect(toBase(new Dec('1.00'), entry('USD', 'KWD', '0.3075')).toFixed()).toBe('0.308')
  })

  it('converts both sides of a line', () => {
    // 10.00 EUR × 1.005 = 10.05 USD; 3.34 × 1.005 = 3.3567 → 3.36.
    const fx = entry('EUR', 'USD', '1.005')
    expect(strings(lineAmounts({ debit: '10.00' }, fx))).toMatchObject({ baseDebit: '10.05', baseCredit: '0' })
    expect(strings(lineAmounts({ credit: '3.34' }, fx))).toMatchObject({ baseDebit: '0', baseCredit: '3.36' })
  })
})

describe('decimals', () => {
  it('accepts up to the currency\'s minor unit and names each side with more', () => {
    expect(decimalsError([{ debit: '10.25' }, { credit: '10.25' }], 'USD')).toBeNull()
    expect(decimalsError([{ debit: '1.234' }, { credit: '1.234' }], 'KWD')).toBeNull()
    const jpy = decimalsError([{ debit: '10' }, { credit: '10.5' }], 'JPY')
    expect(jpy).toMatchObject({ status: 400, code: 'TOO_MANY_DECIMALS', fields: { 'lines.1.credit': 'JPY amounts can have no decimal places' } })
    expect(Object.keys(decimalsError([{ debit: '1.001', credit: '2.002' }], 'USD')!.fields!)).toEqual(['lines.0.debit', 'lines.0.credit'])
  })
})

describe('balance and range', () => {
  it('passes an entry whose debits equal its credits in its own currency', () => {
    expect(totalsError(amounts([{ debit: '100.00' }, { credit: '60.00' }, { credit: '40.00' }], usd), usd)).toBeNull()
  })

  it('refuses an unbalanced entry (422 LEDGER_UNBALANCED) with both totals and the difference', () => {
    const refused = totalsError(amounts([{ debit: '100.00' }, { credit: '60.00' }, { credit: '39.99' }], usd), usd)
    expect(refused).toMatchObject({ status: 422, code: 'LEDGER_UNBALANCED', message: 'Debits 100.00 and credits 99.99 differ by 0.01' })
  })

  it('judges the balance in the entry\'s currency, not in base', () => {
    // 1.000 + 1.000 KWD against 2.000 KWD balances, whatever the base rounding does.
    const kwd = entry('KWD', 'USD', '3.2555', 3)
    expect(totalsError(amounts([{ debit: '1.000' }, { debit: '1.000' }, { credit: '2.000' }], kwd), kwd)).toBeNull()
    // Unbalanced by 0.001 KWD: written with the entry currency's three decimals.
    expect(totalsError(amounts([{ debit: '2.001' }, { credit: '2.000' }], kwd), kwd)?.message).toBe('Debits 2.001 and credits 2.000 differ by 0.001')
  })

  it('refuses a base amount past the ledger\'s range (400 AMOUNT_OUT_OF_RANGE) before the balance', () => {
    // 20,000,000,000.00 × 1,000,000 = 2 × 10^16 USD, past |x| < 10^16; the credit is missing too.
    const huge = entry('IDR', 'USD', '1000000')
    const refused = totalsError(amounts([{ debit: '20000000000.00' }, { credit: '1.00' }], huge), huge)
    expect(refused).toMatchObject({ status: 400, code: 'AMOUNT_OUT_OF_RANGE' })
    expect(refused!.fields).toEqual({ 'lines.0.debit': 'is 20000000000000000.00 USD at the rate 1000000, more than the ledger holds (less than 10^16)' })
  })
})

describe('the FX rounding line', () => {
  const fx = entry('EUR', 'USD', '1.005')

  it('is not needed when the base totals agree', () => {
    expect(roundingLine(amounts([{ debit: '100.00' }, { credit: '100.00' }], fx))).toBeNull()
    expect(baseResidual(amounts([{ debit: '100.00' }, { credit: '100.00' }], fx)).isZero()).toBe(true)
  })

  it('debits what base credits exceed base debits by', () => {
    // Debit 10.00 → 10.05. Credits 3.33 → 3.34665 → 3.35, 3.33 → 3.35, 3.34 → 3.3567 → 3.36: 10.06.
    // Balanced in EUR (10.00 = 10.00); base residual 10.05 − 10.06 = −0.01, so the rounding line debits 0.01.
    const lines = amounts([{ debit: '10.00' }, { credit: '3.33' }, { credit: '3.33' }, { credit: '3.34' }], fx)
    expect(totalsError(lines, fx)).toBeNull()
    expect(baseResidual(lines).toFixed(2)).toBe('-0.01')
    const rounding = roundingLine(lines)!
    expect(strings(rounding)).toEqual({ debit: '0', credit: '0', baseDebit: '0.01', baseCredit: '0' })
    // With it, the entry balances in base as well.
    expect(baseResidual([...lines, rounding]).isZero()).toBe(true)
  })

  it('credits what base debits exceed base credits by', () => {
    const lines = amounts([{ debit: '3.33' }, { debit: '3.33' }, { debit: '3.34' }, { credit: '10.00' }], fx)
    expect(strings(roundingLine(lines)!)).toEqual({ debit: '0', credit: '0', baseDebit: '0', baseCredit: '0.01' })
  })

  it('carries a whole-unit residual in a base without decimals', () => {
    // A base without decimals: 0.50 USD × 105 = 52.5 → 53 JPY, three times = 159;
    // the credit 1.50 × 105 = 157.5 → 158. Residual 159 − 158 = 1 JPY, credited.
    const jpy = entry('USD', 'JPY', '105')
    const lines = amounts([{ debit: '0.50' }, { debit: '0.50' }, { debit: '0.50' }, { credit: '1.50' }], jpy)
    expect(strings(roundingLine(lines)!)).toEqual({ debit: '0', credit: '0', baseDebit: '0', baseCredit: '1' })
  })
})
