import { withTenant } from '../../../../db/tenant'
import { systemContracts } from '../../../contracts/system'
import { verifyAuditChain } from '../../../domain/audit/audit'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(systemContracts.auditVerify, async (event) => {
  const { tenant } = requirePermission(event, 'audit:read')
  return withTenant(tenant.id, tx => verifyAuditChain(tx))
})
