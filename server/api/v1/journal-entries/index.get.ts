import { withTenant } from '../../../../db/tenant'
import { ledgerContracts } from '../../../contracts/ledger'
import { listEntries } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(ledgerContracts.listEntries, async (event, { query }) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  const { data, total } = await withTenant(tenant.id, tx => listEntries(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
