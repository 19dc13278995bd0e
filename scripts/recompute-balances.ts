/**
 * `npm run ledger:recompute [-- --fix]`: recomputes every tenant's account_balances and
 * account_day_balances from its posted journal lines (DATABASE_URL), prints each difference
 * (tenant, account, period and, for a day row, the day, stored vs
 * computed) and, with --fix, rewrites the stored rows. Exit code 1 when differences were found
 * and not fixed, 2 when the check itself failed (no DATABASE_URL, database not migrated, ...).
 */
import { closeDatabase, connect, setDatabase } from '../db/client'
import { tenants } from '../db/schema'
import { withPlatform, withTenant } from '../db/tenant'
import { balanceDifferences, fixBalances } from '../server/domain/reports/balances'

const url = process.env.DATABASE_URL
if (!url) {
  process.stderr.write('ledger:recompute: DATABASE_URL is not set\n')
  process.exit(2)
}
const fix = process.argv.includes('--fix')
setDatabase(connect(url, { max: 2 }))
let found = 0
try {
  const list = await withPlatform(({ tx }) => tx.select({ id: tenants.id, slug: tenants.slug }).from(tenants).orderBy(tenants.slug))
  for (const tenant of list) {
    await withTenant(tenant.id, async (tx) => {
      const differences = await balanceDifferences(tx)
      for (const d of differences) {
        const stored = d.stored ? `debit ${d.stored.debit} credit ${d.stored.credit}` : 'missing'
        process.stdout.write(`${tenant.slug} (${tenant.id}) account ${d.accountCode} (${d.accountId}) period ${d.periodStart} (${d.periodId})${d.day ? ` day ${d.day}` : ''}: stored ${stored}, computed debit ${d.computed.debit} credit ${d.computed.credit}\n`)
      }
      found += differences.length
      if (fix && differences.length) await fixBalances(tx, tenant.id, differences)
    })
  }
  process.stdout.write(`${list.length} tenant(s) checked, ${found} difference(s) found${fix && found ? ', fixed' : ''}\n`)
}
catch (err) {
  const cause = (err as { cause?: Error }).cause
  process.stderr.write(`ledger:recompute: ${cause?.message ?? (err as Error).message}\n`)
  await closeDatabase()
  process.exit(2)
}
finally {
  await closeDatabase()
}
process.exit(found && !fix ? 1 : 0)
