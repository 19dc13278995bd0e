/**
 * The money maths (server/domain/money.ts) without a server: minor units, half-up rounding to a
 * currency, decimal places of wire strings, sums, and the column limit — checked against a scaled
 * bigint reference on seeded random amounts, so no float can hide in the arithmetic.
 */
import { describe, expect, it } from 'vitest'
import { CURRENCIES, Dec, MAX_MONEY, decimalPlaces, format, isCurrency, minorUnit, roundTo, sum, ZERO } from '../../server/domain/money'

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A random decimal string with up to 16 integer digits and `places` decimals, maybe negative. */
function amount(r: () => number, places: number): string {
  const int = BigInt(Math.floor(r() * 1e8)) * BigInt(Math.floor(r() * 1e8))
  const frac = places ? `.${String(Math.floor(r() * 10 ** places)).padStart(places, '0')}` : ''
  return `${r() < 0.3 ? '-' : ''}${int}${frac}`
}

/** `value` (a decimal string) as an integer count of 10^-places. */
function scaled(value: string, places: number): bigint {
  const negative = value.startsWith('-')
  const [int, frac = ''] = value.replace('-', '').split('.')
  const n = BigInt(int! + frac.padEnd(places, '0').slice(0, places))
  return negative ? -n : n
}

/** Half-up (away from zero on a tie) from `from` places to `to` places, in bigint. */
function roundHalfUp(n: bigint, from: number, to: number): bigint {
  const unit = 10n ** BigInt(from - to)
  const magnitude = n < 0n ? -n : n
  const q = magnitude / unit
  const rounded = (magnitude % unit) * 2n >= unit ? q + 1n : q
  return n < 0n ? -rounded : rounded
}

describe('currencies and minor units', () => {
  it('knows the ISO 4217 minor units it accepts and refuses the rest', () => {
    expect([minorUnit('USD'), minorUnit('JPY'), minorUnit('KWD'), minorUnit('CLP')]).toEqual([2, 0, 3, 0])
    expect(isCurrency('EUR')).toBe(true)
    expect(isCurrency('XXX')).toBe(false)
    expect(isCurrency('usd')).toBe(false)
    expect(() => minorUnit('XXX')).toThrow(/unknown currency/)
    for (const c of CURRENCIES) expect(c).toMatch(/^[A-Z]{3}$/)
  })

  it('counts the decimals of a wire string as written', () => {
    expect([decimalPlaces('12'), decimalPlaces('12.5'), decimalPlaces('12.50'), decimalPlaces('0.0001')]).toEqual([0, 1, 2, 4])
  })
})

describe('rounding to a currency', () => {
  it('rounds half-up (away from zero) on ties, both signs', () => {
    const r = (v: string, c: string) => format(roundTo(new Dec(v), c), minorUnit(c))
    expect([r('0.005', 'USD'), r('0.004999', 'USD'), r('-0.005', 'USD'), r('2.5', 'JPY'), r('-2.5', 'JPY'), r('1.0005', 'KWD')])
      .toEqual(['0.01', '0.00', '-0.01', '3', '-3', '1.001'])
  })

  it('agrees with a bigint half-up on 600 random amounts in every minor unit', () => {
    const r = prng(20261130)
    for (let i = 0; i < 600; i++) {
      const currency = (['USD', 'JPY', 'KWD'] as const)[i % 3]!
      const places = minorUnit(currency)
      const value = amount(r, 6)
      const expected = roundHalfUp(scaled(value, 6), 6, places)
      expect(scaled(format(roundTo(new Dec(value), currency), places), places), `${value} ${currency}`).toBe(expected)
    }
  })

  it('converts at a rate exactly: amount × rate keeps every digit before the one rounding', () => {
    const r = prng(7)
    for (let i = 0; i < 400; i++) {
      const value = amount(r, 2)
      const rate = `${Math.floor(r() * 1000)}.${String(Math.floor(r() * 1e6)).padStart(6, '0')}`
      const exact = scaled(value, 2) * scaled(rate, 6) // 8 places
      const base = roundTo(new Dec(value).times(rate), 'USD')
      expect(scaled(format(base, 2), 2), `${value} × ${rate}`).toBe(roundHalfUp(exact, 8, 2))
    }
  })
})

describe('sums and limits', () => {
  it('sums exactly, in any order, as the bigint reference does', () => {
    const r = prng(42)
    const values = Array.from({ length: 500 }, () => amount(r, 4))
    const expected = values.reduce((acc, v) => acc + scaled(v, 4), 0n)
    const forward = sum(values.map(v => new Dec(v)))
    const backward = sum([...values].reverse().map(v => new Dec(v)))
    expect(scaled(format(forward, 4), 4)).toBe(expected)
    expect(forward.eq(backward)).toBe(true)
    expect(sum([]).eq(ZERO)).toBe(true)
  })

  it('holds 0.1 + 0.2 = 0.3 and the column limit below 10^16', () => {
    expect(sum([new Dec('0.1'), new Dec('0.2')]).eq('0.3')).toBe(true)
    expect(new Dec('9999999999999999.9999').lt(MAX_MONEY)).toBe(true)
    expect(new Dec('10000000000000000').gte(MAX_MONEY)).toBe(true)
  })
})
