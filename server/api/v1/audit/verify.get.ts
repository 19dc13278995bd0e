import { systemContracts } from '../../../contracts/system'
import { verifyAuditChain } from '../../../domain/audit/audit'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(systemContracts.auditVerify, async (_event, { read }) => read(tx => verifyAuditChain(tx)))
