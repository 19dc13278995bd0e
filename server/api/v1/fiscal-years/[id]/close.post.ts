import { closingContracts } from '../../../../contracts/closing'
import { closeFiscalYear } from '../../../../domain/ledger/closing'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(closingContracts.closeFiscalYear, async (_event, { params, tenant, actor, write }) =>
  write(tx => closeFiscalYear(tx, tenant.id, actor, params.id)))
