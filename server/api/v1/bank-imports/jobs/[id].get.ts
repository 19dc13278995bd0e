import { bankContracts } from '../../../../contracts/bank'
import { getImportJob } from '../../../../domain/bank/import-jobs'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankContracts.getBankImportJob, async (_event, { params, read }) =>
  read(tx => getImportJob(tx, params.id)))
