import { bankContracts } from '../../../contracts/bank'
import { getBankTransaction } from '../../../domain/bank/imports'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankContracts.getBankTransaction, async (_event, { params, read }) => read(tx => getBankTransaction(tx, params.id)))
