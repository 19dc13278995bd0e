/**
 * The receivables job (worker queue `receivables`): hourly (a BullMQ job scheduler) and once when a
 * worker starts (the catch-up), it finds the tenants with work — a recurring invoice due by
 * tomorrow in UTC (so every time zone's today is covered) or a run left pending, or reminder days
 * set — reading only those columns across tenants as the back-office role, then runs each
 * tenant's pass in the tenant's own transactions: `runRecurringInvoices` (./recurring-invoices.ts)
 * and `runDunning` (./dunning.ts). A tenant that fails is logged and the others go on; the job
 * itself does not fail for one tenant's data. Suspended tenants are skipped.
 */
import { sql } from 'drizzle-orm'
import { withPlatform } from '../../../db/tenant'
import { errorText, log } from '../../core/log'
import { runDunning, type DunningResult } from './dunning'
import { runRecurringInvoices, type RecurringRunResult } from './recurring-runs'

export interface SweepResult {
  tenants: number
  recurring: RecurringRunResult
  dunning: DunningResult
  /** Tenants whose pass threw (logged). */
  failedTenants: number
}

/** The active tenants with recurring work, and those with reminder days. */
export async function tenantsWithWork(): Promise<{ recurring: string[], dunning: string[] }> {
  return withPlatform(async ({ tx }) => {
    const recurring = await tx.execute<{ tenant_id: string }>(sql`
      select distinct r.tenant_id from recurring_invoices r join tenants t on t.id = r.tenant_id and t.status = 'active'
       where r.is_active and r.next_date <= (now() at time zone 'UTC')::date + 1
      union
      select distinct u.tenant_id from recurring_invoice_runs u join tenants t on t.id = u.tenant_id and t.status = 'active'
       where u.status = 'pending'`)
    const dunning = await tx.execute<{ tenant_id: string }>(sql`
      select s.tenant_id from tenant_settings s join tenants t on t.id = s.tenant_id and t.status = 'active'
       where cardinality(s.dunning_days) > 0`)
    return { recurring: [...recurring].map(r => r.tenant_id), dunning: [...dunning].map(r => r.tenant_id) }
  })
}

/** One sweep over every tenant with work (`tenantIds` limits it, for tests). */
export async function sweepReceivables(options: { tenantIds?: string[] } = {}): Promise<SweepResult> {
  const out: SweepResult = { tenants: 0, recurring: { created: 0, issued: 0, sent: 0, failed: 0 }, dunning: { sent: 0, skipped: 0, notSent: 0 }, failedTenants: 0 }
  const work = await tenantsWithWork()
  const only = options.tenantIds ? new Set(options.tenantIds) : null
  const pick = (ids: string[]) => (only ? ids.filter(id => only.has(id)) : ids)
  const recurring = pick(work.recurring)
  const dunning = pick(work.dunning)
  out.tenants = new Set([...recurring, ...dunning]).size
  for (const tenantId of recurring) {
    try {
      const r = await runRecurringInvoices(tenantId)
      for (const k of Object.keys(r) as (keyof RecurringRunResult)[]) out.recurring[k] += r[k]
    }
    catch (err) {
      out.failedTenants += 1
      log.error('recurring invoices: tenant pass failed', { tenantId, error: errorText(err) })
    }
  }
  for (const tenantId of dunning) {
    try {
      const r = await runDunning(tenantId)
      for (const k of Object.keys(r) as (keyof DunningResult)[]) out.dunning[k] += r[k]
    }
    catch (err) {
      out.failedTenants += 1
      log.error('dunning: tenant pass failed', { tenantId, error: errorText(err) })
    }
  }
  if (out.tenants) log.info('receivables sweep', { tenants: out.tenants, ...out.recurring, reminders: out.dunning.sent, failedTenants: out.failedTenants })
  return out
}
