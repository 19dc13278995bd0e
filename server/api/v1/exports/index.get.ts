import { exportContracts } from '../../../contracts/exports'
import { listExports } from '../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(exportContracts.list, async (_event, { query, principal, read }) => {
  const { data, total } = await read(tx => listExports(tx, principal.user.id, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
