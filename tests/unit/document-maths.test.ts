/**
 * Document arithmetic (shared/sales/document-maths.ts; SPEC §6 module 5), with every case worked by
 * hand in its comment, then properties over random documents: total = subtotal + taxTotal, a line's
 * components add up to its tax, an inclusive line's total is its amount.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Dec } from '../../server/domain/money'
import { computeDocument, discountProblem, type LineInput, quantityProblem, type TaxRateInput, unitPriceProblem } from '../../shared/sales/document-maths'

const vat20: TaxRateInput = { id: 'vat20', rate: '20', accountId: 'acc-vat', components: [] }
const vat10: TaxRateInput = { id: 'vat10', rate: '10', accountId: 'acc-vat', components: [] }
const zero: TaxRateInput = { id: 'zero', rate: '0', accountId: 'acc-vat', components: [] }
const gstPst: TaxRateInput = {
  id: 'bc', rate: '12', components: [
    { id: 'gst', name: 'GST', rate: '5', accountId: 'acc-gst' },
    { id: 'pst', name: 'PST', rate: '7', accountId: 'acc-pst' },
  ],
}
const line = (quantity: string, unitPrice: string, taxRate?: TaxRateInput, discountPercent?: string): LineInput => ({ quantity, unitPrice, taxRate, discountPercent })

describe('exclusive amounts', () => {
  it('a discounted line: 3 × 19.99 less 10% = 53.973 → 53.97; VAT 20% = 10.794 → 10.79; total 64.76', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('3', '19.99', vat20, '10')] })
    expect(doc.lines[0]).toMatchObject({ amount: '53.97', net: '53.97', tax: '10.79', total: '64.76' })
    expect(doc).toMatchObject({ subtotal: '53.97', taxTotal: '10.79', total: '64.76' })
    expect(doc.taxBreakdown).toEqual([{ taxRateId: 'vat20', rate: '20', net: '53.97', tax: '10.79', components: [
      { key: 'vat20', id: 'vat20', name: '', rate: '20', accountId: 'acc-vat', net: '53.97', tax: '10.79' },
    ] }])
  })

  it('rounds half-up, not to even: 1 × 0.125 → 0.13; 10% of it 0.013 → 0.01', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('1', '0.125', vat10)] })
    expect(doc.lines[0]).toMatchObject({ amount: '0.13', tax: '0.01', total: '0.14' })
  })

  it('rounds each line, so the sum of rounded lines is not the rounded sum: three lines of 0.05 at 10% → 0.005 → 0.01 each, tax 0.03 (not 0.015 → 0.02)', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('1', '0.05', vat10), line('1', '0.05', vat10), line('1', '0.05', vat10)] })
    expect(doc.lines.map(l => l.tax)).toEqual(['0.01', '0.01', '0.01'])
    expect(doc).toMatchObject({ subtotal: '0.15', taxTotal: '0.03', total: '0.18' })
    expect(new Dec(doc.subtotal).times('0.10').toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2)).toBe('0.02') // what rounding the total would give
  })

  it('amounts too: three lines of 1 × 0.3333 → 0.33 each, subtotal 0.99 (rounding 0.9999 would give 1.00)', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('1', '0.3333'), line('1', '0.3333'), line('1', '0.3333')] })
    expect(doc).toMatchObject({ subtotal: '0.99', taxTotal: '0.00', total: '0.99', taxBreakdown: [] })
  })

  it('a two-component group rounds each component: 10.10 at GST 5% = 0.505 → 0.51, PST 7% = 0.707 → 0.71, tax 1.22 (12% at once would be 1.212 → 1.21)', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('1', '10.10', gstPst)] })
    expect(doc.lines[0]).toMatchObject({ net: '10.10', tax: '1.22', total: '11.32' })
    expect(doc.lines[0]!.taxByComponent.map(c => [c.name, c.tax, c.accountId])).toEqual([['GST', '0.51', 'acc-gst'], ['PST', '0.71', 'acc-pst']])
    expect(doc.taxBreakdown[0]!.components.map(c => [c.id, c.net, c.tax])).toEqual([['gst', '10.10', '0.51'], ['pst', '10.10', '0.71']])
  })

  it('a zero rate: 50.00 at 0% → tax 0.00, and the rate is in the breakdown with its net', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('2', '25', zero)] })
    expect(doc).toMatchObject({ subtotal: '50.00', taxTotal: '0.00', total: '50.00' })
    expect(doc.taxBreakdown).toMatchObject([{ taxRateId: 'zero', net: '50.00', tax: '0.00' }])
  })

  it('a 100% discount: 4 × 12.50 less 100% = 0.00, tax 0.00', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('4', '12.50', vat20, '100')] })
    expect(doc.lines[0]).toMatchObject({ amount: '0.00', net: '0.00', tax: '0.00', total: '0.00' })
  })
})

describe('inclusive amounts', () => {
  it('120.00 incl. 20%: tax 120 × 20 / 120 = 20.00, net 100.00, total 120.00', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '120.00', vat20)] })
    expect(doc.lines[0]).toMatchObject({ amount: '120.00', net: '100.00', tax: '20.00', total: '120.00' })
  })

  it('10.00 incl. 20%: tax 10 × 20 / 120 = 1.6667 → 1.67, net 8.33', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '10.00', vat20)] })
    expect(doc.lines[0]).toMatchObject({ net: '8.33', tax: '1.67', total: '10.00' })
    expect(doc).toMatchObject({ subtotal: '8.33', taxTotal: '1.67', total: '10.00' })
  })

  it('a group splits its tax by rate: 112.00 incl. 12% → tax 12.00 = GST 5.00 + PST 7.00, net 100.00', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '112', gstPst)] })
    expect(doc.lines[0]).toMatchObject({ net: '100.00', tax: '12.00', total: '112.00' })
    expect(doc.lines[0]!.taxByComponent.map(c => c.tax)).toEqual(['5.00', '7.00'])
  })

  it('and the components add up to the line\'s tax: 10.00 incl. 12% → tax 1.0714 → 1.07; GST 1.07 × 5/12 = 0.4458, PST 0.6242; rounded down 0.44 + 0.62 = 1.06, the cent left goes to the larger fraction (GST .58 > PST .42) → 0.45 + 0.62', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '10.00', gstPst)] })
    expect(doc.lines[0]).toMatchObject({ net: '8.93', tax: '1.07', total: '10.00' })
    expect(doc.lines[0]!.taxByComponent.map(c => c.tax)).toEqual(['0.45', '0.62'])
  })

  it('a half-and-half tie goes to the larger rate: 0.01 of tax over 5% + 5%… split 0.005/0.005 → one cent to the first (equal rates: the earlier)', () => {
    const even: TaxRateInput = { id: 'even', rate: '10', components: [{ name: 'A', rate: '5' }, { name: 'B', rate: '5' }] }
    // 0.11 incl. 10%: tax 0.11 × 10 / 110 = 0.01 exactly.
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '0.11', even)] })
    expect(doc.lines[0]!.tax).toBe('0.01')
    expect(doc.lines[0]!.taxByComponent.map(c => [c.key, c.tax])).toEqual([['even#0', '0.01'], ['even#1', '0.00']])
  })

  it('never gives a component a negative share: 0.02 over four 2.5% components → 0.01, 0.01, 0.00, 0.00 (half-up with a remainder would give 0.01 × 3 and −0.01)', () => {
    const four: TaxRateInput = { id: 'four', rate: '10', components: ['A', 'B', 'C', 'D'].map(name => ({ name, rate: '2.5' })) }
    // 0.22 incl. 10%: tax 0.22 × 10 / 110 = 0.02.
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '0.22', four)] })
    expect(doc.lines[0]!.taxByComponent.map(c => c.tax)).toEqual(['0.01', '0.01', '0.00', '0.00'])
  })

  it('a zero rate: the amount is all net', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'inclusive', lines: [line('1', '50', zero)] })
    expect(doc.lines[0]).toMatchObject({ net: '50.00', tax: '0.00', total: '50.00' })
  })
})

describe('currencies without two decimals', () => {
  it('JPY (0 decimals), exclusive: 3 × 333 = 999; 10% = 99.9 → 100; total 1099', () => {
    const doc = computeDocument({ minorUnit: 0, amountsAre: 'exclusive', lines: [line('3', '333', vat10)] })
    expect(doc).toMatchObject({ subtotal: '999', taxTotal: '100', total: '1099' })
  })

  it('JPY inclusive: 1000 incl. 10% → tax 90.909 → 91, net 909', () => {
    const doc = computeDocument({ minorUnit: 0, amountsAre: 'inclusive', lines: [line('1', '1000', vat10)] })
    expect(doc.lines[0]).toMatchObject({ net: '909', tax: '91', total: '1000' })
  })

  it('BHD (3 decimals): 2 × 1.2345 less 5% = 2.34555 → 2.346; VAT 10% = 0.2346 → 0.235; total 2.581', () => {
    const doc = computeDocument({ minorUnit: 3, amountsAre: 'exclusive', lines: [line('2', '1.2345', vat10, '5')] })
    expect(doc.lines[0]).toMatchObject({ amount: '2.346', tax: '0.235', total: '2.581' })
  })

  it('KWD inclusive: 1.000 incl. 20% → tax 0.16667 → 0.167, net 0.833', () => {
    const doc = computeDocument({ minorUnit: 3, amountsAre: 'inclusive', lines: [line('1', '1', vat20)] })
    expect(doc.lines[0]).toMatchObject({ net: '0.833', tax: '0.167', total: '1.000' })
  })
})

describe('breakdown across lines', () => {
  it('sums per rate and per component the nets and rounded taxes of the lines that carry them', () => {
    const doc = computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [
      line('1', '10.10', gstPst), // GST 0.51, PST 0.71
      line('1', '19.99', gstPst), // GST 0.9995 → 1.00, PST 1.3993 → 1.40
      line('1', '100', vat20), // 20.00
      line('1', '5'), // no rate: not in the breakdown
    ] })
    expect(doc.taxBreakdown.map(r => [r.taxRateId, r.net, r.tax])).toEqual([['bc', '30.09', '3.62'], ['vat20', '100.00', '20.00']])
    expect(doc.taxBreakdown[0]!.components.map(c => [c.name, c.net, c.tax])).toEqual([['GST', '30.09', '1.51'], ['PST', '30.09', '2.11']])
    expect(doc).toMatchObject({ subtotal: '135.09', taxTotal: '23.62', total: '158.71' })
  })

  it('refuses a group whose rate is not its components\' sum (a caller\'s bug, never a silent figure)', () => {
    expect(() => computeDocument({ minorUnit: 2, amountsAre: 'exclusive', lines: [line('1', '1', { ...gstPst, rate: '13' })] })).toThrow(RangeError)
  })
})

describe('validation', () => {
  it('quantities: more than zero, at most 4 decimals and 15 digits', () => {
    expect(quantityProblem('2.5')).toBeUndefined()
    expect(quantityProblem('0.0001')).toBeUndefined()
    expect(quantityProblem('0')).toMatch(/greater than zero/)
    expect(quantityProblem('-1')).toMatch(/greater than zero/)
    expect(quantityProblem(2)).toMatch(/greater than zero/)
    expect(quantityProblem('1.23456')).toMatch(/at most 4 decimal places/)
    expect(quantityProblem('1234567890123456')).toMatch(/at most 15 digits/)
  })

  it('unit prices follow the amount rules', () => {
    expect(unitPriceProblem('19.99')).toBeUndefined()
    expect(unitPriceProblem('0')).toBeUndefined()
    expect(unitPriceProblem('1.23456')).toMatch(/at most 4 decimal places/)
    expect(unitPriceProblem('-1')).toMatch(/numbers of zero or more/)
  })

  it('discounts: 0 to 100 with at most 4 decimals', () => {
    for (const ok of ['0', '10', '12.5', '99.9999', '100', '100.0']) expect(discountProblem(ok), ok).toBeUndefined()
    for (const bad of ['100.01', '101', '-1', '1.23456', '', 5]) expect(discountProblem(bad), String(bad)).toBeDefined()
  })
})

describe('properties', () => {
  const decimal = (maxWhole: number, places: number) => fc.tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 10 ** places - 1 }))
    .map(([w, f]) => `${w}.${String(f).padStart(places, '0')}`)
  const rate = fc.oneof(
    fc.constant(undefined),
    decimal(30, 2).map((r): TaxRateInput => ({ id: `r${r}`, rate: r, components: [] })),
    fc.array(decimal(15, 4), { minLength: 1, maxLength: 4 }).map((rs): TaxRateInput => ({
      id: `g${rs.join('+')}`, rate: rs.reduce((s, r) => s.plus(r), new Dec(0)).toString(), components: rs.map((r, i) => ({ id: `g${rs.join('+')}-${i}`, name: `C${i}`, rate: r })),
    })),
  )
  const lineArb = fc.record({
    quantity: decimal(1000, 4).filter(q => !new Dec(q).isZero()),
    unitPrice: decimal(100000, 4),
    discountPercent: fc.oneof(fc.constant(undefined), decimal(99, 2), fc.constant('100')),
    taxRate: rate,
  })
  const docArb = fc.record({
    minorUnit: fc.constantFrom(0, 2, 3),
    amountsAre: fc.constantFrom('exclusive' as const, 'inclusive' as const),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
  })

  it('total = subtotal + taxTotal exactly; components add up to each line\'s tax; an inclusive line\'s total is its amount; totals are sums of the lines', () => {
    fc.assert(fc.property(docArb, (doc) => {
      const r = computeDocument(doc)
      const places = doc.minorUnit
      const fixed = new RegExp(places ? `^-?\\d+\\.\\d{${places}}$` : '^-?\\d+$')
      expect(new Dec(r.total).eq(new Dec(r.subtotal).plus(r.taxTotal))).toBe(true)
      let net = new Dec(0)
      let tax = new Dec(0)
      for (const l of r.lines) {
        for (const v of [l.amount, l.net, l.tax, l.total, ...l.taxByComponent.map(c => c.tax)]) expect(v).toMatch(fixed)
        expect(l.taxByComponent.reduce((s, c) => s.plus(c.tax), new Dec(0)).eq(l.tax)).toBe(true)
        for (const c of l.taxByComponent) expect(new Dec(c.tax).isNegative()).toBe(false)
        expect(new Dec(l.total).eq(new Dec(l.net).plus(l.tax))).toBe(true)
        if (doc.amountsAre === 'inclusive') expect(l.total).toBe(l.amount)
        else expect(l.net).toBe(l.amount)
        net = net.plus(l.net)
        tax = tax.plus(l.tax)
      }
      expect(r.subtotal).toBe(net.toFixed(places))
      expect(r.taxTotal).toBe(tax.toFixed(places))
      expect(r.taxBreakdown.reduce((s, b) => s.plus(b.tax), new Dec(0)).toFixed(places)).toBe(
        r.lines.filter((_, i) => doc.lines[i]!.taxRate).reduce((s, l) => s.plus(l.tax), new Dec(0)).toFixed(places))
    }), { numRuns: 300 })
  })
})
