import { bankContracts } from '../../../contracts/bank'
import { getBankTransactionDetail } from '../../../domain/bank/matching'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankContracts.getBankTransaction, async (_event, { params, read }) => read(tx => getBankTransactionDetail(tx, params.id)))
