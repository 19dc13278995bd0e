import { ledgerContracts } from '../../../contracts/ledger'
import { listEntries } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(ledgerContracts.listEntries, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listEntries(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
