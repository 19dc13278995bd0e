import { ledgerContracts } from '../../../contracts/ledger'
import { createEntry } from '../../../domain/ledger/entries'
import { ForbiddenError } from '../../../domain/errors'
import { hasPermission } from '../../../domain/identity/rbac'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.createEntry, async (event, { body }) => {
  const { tenant, roles } = requirePermission(event, 'ledger:write')
  if (body.post && !hasPermission(roles, 'ledger:post')) throw new ForbiddenError('Your role does not allow ledger:post')
  return tenantWrite(event, tx => createEntry(tx, tenant.id, actorOf(event), body), { status: 201 })
})
