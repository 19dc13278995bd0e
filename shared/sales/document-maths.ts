/**
 * The arithmetic of a sales or purchase document (SPEC §6 module 5; issue 12): line amounts,
 * discounts and tax, exactly, in decimal.js — never JS numbers. Pure: the invoice editor (via
 * `#shared/sales/document-maths`) shows what the server will store, because both run this.
 *
 * The rules (server/domain/sales/README.md, "Document arithmetic"):
 *
 * 1. Line amount = quantity × unit price × (1 − discount% / 100), rounded half-up to the currency's
 *    minor unit, per line.
 * 2. Exclusive amounts: the line amount is the net. Each tax component's tax = net × its rate / 100,
 *    rounded half-up per line; the line's tax is the sum of its components' (so a group's tax is
 *    never rounded twice); total = net + tax.
 * 3. Inclusive amounts: the line amount contains the tax. The line's tax = amount × R / (100 + R),
 *    R the rate (a group's: the sum of its components'), rounded half-up; net = amount − tax;
 *    total = amount. The tax is split across a group's components in proportion to their rates by
 *    the largest remainder: each component first takes its share rounded down to the minor unit,
 *    then the units left over (fewer than the number of components) go one each to the components
 *    with the largest dropped fractions (ties: the larger rate, then the earlier component). The
 *    components then add up to the line's tax exactly, none is negative, and each is its
 *    proportional share rounded either way — with two components, exactly half-up except on a
 *    half-and-half tie, which goes to the larger rate.
 * 4. Document totals are sums of the rounded lines: subtotal = Σ net, taxTotal = Σ tax,
 *    total = Σ line totals = subtotal + taxTotal. The tax breakdown sums, per rate and per
 *    component, the nets of the lines that carry it and their (rounded) tax.
 *
 * A simple rate is a rate without components: it counts as one component (its own rate, name and
 * account). Zero-rate lines carry a rate and appear in the breakdown with zero tax (tax reports
 * need their net); lines with no rate do not.
 */
import { AMOUNT_DECIMALS, AMOUNT_INTEGER_DIGITS, amountProblem } from '../../server/domain/amount-rules'
import { Dec } from '../../server/domain/money'

export type AmountsAre = 'exclusive' | 'inclusive'

export interface TaxComponentInput { id?: string, name: string, rate: string, accountId?: string | null }
export interface TaxRateInput {
  id: string
  /** The rate in percent; a group's must equal the sum of its components' rates. */
  rate: string
  name?: string
  /** A simple rate's account (a group's components carry theirs). */
  accountId?: string | null
  components: readonly TaxComponentInput[]
}
export interface LineInput {
  quantity: string
  unitPrice: string
  discountPercent?: string | null
  taxRate?: TaxRateInput | null
}
export interface DocumentInput {
  /** Decimals of the document's currency (`minorUnit(currency)` in server/domain/money.ts). */
  minorUnit: number
  amountsAre: AmountsAre
  lines: readonly LineInput[]
}

export interface ComponentTax { key: string, id?: string, name: string, rate: string, accountId: string | null, tax: string }
export interface LineResult {
  /** quantity × unit price × (1 − discount), rounded: the amount the line shows. */
  amount: string
  net: string
  tax: string
  total: string
  taxByComponent: ComponentTax[]
}
export interface ComponentBreakdown { key: string, id?: string, name: string, rate: string, accountId: string | null, net: string, tax: string }
export interface RateBreakdown { taxRateId: string, rate: string, net: string, tax: string, components: ComponentBreakdown[] }
export interface DocumentResult {
  lines: LineResult[]
  subtotal: string
  taxTotal: string
  total: string
  taxBreakdown: RateBreakdown[]
}

interface Component { key: string, id?: string, name: string, rate: Dec, accountId: string | null }

/** A rate's components; a simple rate is its own one component. */
function componentsOf(rate: TaxRateInput): Component[] {
  if (!rate.components.length) return [{ key: rate.id, id: rate.id, name: rate.name ?? '', rate: new Dec(rate.rate), accountId: rate.accountId ?? null }]
  const list = rate.components.map((c, i) => ({ key: c.id ?? `${rate.id}#${i}`, id: c.id, name: c.name, rate: new Dec(c.rate), accountId: c.accountId ?? null }))
  const total = list.reduce((s, c) => s.plus(c.rate), new Dec(0))
  if (!total.eq(rate.rate)) throw new RangeError(`tax rate ${rate.id}: rate ${rate.rate} is not the sum of its components' (${total.toString()})`)
  return list
}

const half = (value: Dec, places: number) => value.toDecimalPlaces(places, Dec.ROUND_HALF_UP)

/** Rule 1: quantity × unit price × (1 − discount% / 100), half-up to `places`. */
export function lineAmount(line: Pick<LineInput, 'quantity' | 'unitPrice' | 'discountPercent'>, places: number): Dec {
  const discount = new Dec(line.discountPercent || 0)
  return half(new Dec(line.quantity).times(line.unitPrice).times(new Dec(100).minus(discount)).div(100), places)
}

/** Rule 3's split: `tax` over the components in proportion to their rates, by the largest remainder. */
function splitInclusive(tax: Dec, components: Component[], places: number): Dec[] {
  const total = components.reduce((s, c) => s.plus(c.rate), new Dec(0))
  if (total.isZero()) return components.map(() => new Dec(0))
  const unit = new Dec(10).pow(-places)
  const exact = components.map(c => tax.times(c.rate).div(total))
  const shares = exact.map(e => e.toDecimalPlaces(places, Dec.ROUND_DOWN))
  let left = tax.minus(shares.reduce((s, v) => s.plus(v), new Dec(0))).div(unit).round().toNumber()
  const order = components.map((c, i) => ({ i, fraction: exact[i]!.minus(shares[i]!), rate: c.rate }))
    .sort((a, b) => b.fraction.comparedTo(a.fraction) || b.rate.comparedTo(a.rate) || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    shares[i] = shares[i]!.plus(unit)
    left -= 1
  }
  return shares
}

interface LineDec { amount: Dec, net: Dec, tax: Dec, total: Dec, components: Component[], taxes: Dec[] }

function computeLine(line: LineInput, amountsAre: AmountsAre, places: number): LineDec {
  const amount = lineAmount(line, places)
  const components = line.taxRate ? componentsOf(line.taxRate) : []
  if (amountsAre === 'exclusive') {
    const taxes = components.map(c => half(amount.times(c.rate).div(100), places))
    const tax = taxes.reduce((s, v) => s.plus(v), new Dec(0))
    return { amount, net: amount, tax, total: amount.plus(tax), components, taxes }
  }
  const rate = components.reduce((s, c) => s.plus(c.rate), new Dec(0))
  const tax = half(amount.times(rate).div(new Dec(100).plus(rate)), places)
  return { amount, net: amount.minus(tax), tax, total: amount, components, taxes: splitInclusive(tax, components, places) }
}

/** Every line and the document's totals (rules 1–4), as decimal strings fixed to the minor unit. */
export function computeDocument(doc: DocumentInput): DocumentResult {
  const places = doc.minorUnit
  const fix = (v: Dec) => v.toFixed(places)
  const lines = doc.lines.map(l => ({ input: l, ...computeLine(l, doc.amountsAre, places) }))
  let subtotal = new Dec(0)
  let taxTotal = new Dec(0)
  let total = new Dec(0)
  const rates = new Map<string, { rate: string, net: Dec, tax: Dec, components: Map<string, Component & { net: Dec, tax: Dec }> }>()
  for (const l of lines) {
    subtotal = subtotal.plus(l.net)
    taxTotal = taxTotal.plus(l.tax)
    total = total.plus(l.total)
    const rate = l.input.taxRate
    if (!rate) continue
    let entry = rates.get(rate.id)
    if (!entry) rates.set(rate.id, entry = { rate: rate.rate, net: new Dec(0), tax: new Dec(0), components: new Map() })
    entry.net = entry.net.plus(l.net)
    entry.tax = entry.tax.plus(l.tax)
    l.components.forEach((c, i) => {
      const seen = entry.components.get(c.key) ?? { ...c, net: new Dec(0), tax: new Dec(0) }
      seen.net = seen.net.plus(l.net)
      seen.tax = seen.tax.plus(l.taxes[i]!)
      entry.components.set(c.key, seen)
    })
  }
  const component = (c: Component) => ({ key: c.key, ...(c.id ? { id: c.id } : {}), name: c.name, rate: c.rate.toString(), accountId: c.accountId })
  return {
    lines: lines.map(l => ({
      amount: fix(l.amount), net: fix(l.net), tax: fix(l.tax), total: fix(l.total),
      taxByComponent: l.components.map((c, i) => ({ ...component(c), tax: fix(l.taxes[i]!) })),
    })),
    subtotal: fix(subtotal),
    taxTotal: fix(taxTotal),
    total: fix(total),
    taxBreakdown: [...rates].map(([taxRateId, r]) => ({
      taxRateId, rate: r.rate, net: fix(r.net), tax: fix(r.tax),
      components: [...r.components.values()].map(c => ({ ...component(c), net: fix(c.net), tax: fix(c.tax) })),
    })),
  }
}

// Validation of a line's figures, in the words of the amount fields (server/domain/amount-rules.ts).

export const LINE_MESSAGES = {
  notAQuantity: 'Quantities must be numbers greater than zero, such as 1 or 2.5',
  quantityTooManyDigits: `Quantities can have at most ${AMOUNT_INTEGER_DIGITS} digits before the decimal point`,
  quantityTooManyDecimals: `Quantities can have at most ${AMOUNT_DECIMALS} decimal places`,
  notADiscount: 'Discounts must be percentages from 0 to 100 with at most 4 decimals, such as 10 or 12.5',
} as const

/** Why a quantity (`"2.5"`) is none a line takes: > 0, ≤ 15 digits before the point, ≤ 4 after. */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || new Dec(value).isZero()) return LINE_MESSAGES.notAQuantity
  const [whole = '', decimals = ''] = value.split('.')
  if (whole.replace(/^0+(?=\d)/, '').length > AMOUNT_INTEGER_DIGITS) return LINE_MESSAGES.quantityTooManyDigits
  if (decimals.length > AMOUNT_DECIMALS) return LINE_MESSAGES.quantityTooManyDecimals
  return undefined
}

/** Why a unit price is none a line takes: an amount's rules (≥ 0, 15 digits, 4 decimals). */
export function unitPriceProblem(value: unknown): string | undefined {
  return amountProblem(value)
}

/** Why a discount is none a line takes: 0 to 100 percent, at most 4 decimals. */
export function discountProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{1,3}(\.\d{1,4})?$/.test(value) || new Dec(value).gt(100)) return LINE_MESSAGES.notADiscount
  return undefined
}
