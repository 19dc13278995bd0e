/** The tenant's exchange-rate table: base units per one unit of a foreign currency, by date. */
import { asc, desc, eq } from 'drizzle-orm'
import { exchangeRates, tenants } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, ValidationError } from '../errors'
import { Dec, isCurrency } from '../money'

export async function listRates(tx: Tx, query: { currency?: string } = {}) {
  const rows = await tx.select().from(exchangeRates).where(query.currency ? eq(exchangeRates.currency, query.currency) : undefined)
    .orderBy(asc(exchangeRates.currency), desc(exchangeRates.date))
  return rows.map(r => ({ id: r.id, currency: r.currency, date: r.date, rate: new Dec(r.rate).toString(), createdAt: r.createdAt }))
}

export async function createRate(tx: Tx, tenantId: string, actor: Actor, input: { currency: string, date: string, rate: string }) {
  if (!isCurrency(input.currency)) throw new ValidationError('Unknown currency', { currency: 'is not a supported ISO 4217 currency' })
  const [t] = await tx.select({ base: tenants.baseCurrency }).from(tenants)
  if (t!.base === input.currency) throw new ValidationError('The base currency has no rate', { currency: 'is the base currency' })
  try {
    const [row] = await tx.insert(exchangeRates).values({ tenantId, currency: input.currency, date: input.date, rate: input.rate }).returning()
    await recordAudit(tx, tenantId, actor, { action: 'exchange_rate.create', entityType: 'exchange_rate', entityId: row!.id, after: input })
    return { id: row!.id, currency: row!.currency, date: row!.date, rate: new Dec(row!.rate).toString(), createdAt: row!.createdAt }
  }
  catch (err) {
    if (isUniqueViolation(err, 'exchange_rates_currency_date_key')) throw new ConflictError('A rate for this currency and date exists', 'RATE_EXISTS', { date: 'already has a rate' })
    throw err
  }
}
