import { exportContracts } from '../../../contracts/exports'
import { getExport, toExportResource } from '../../../domain/reports/export-requests'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(exportContracts.get, async (_event, { params, principal, read }) =>
  toExportResource(await read(tx => getExport(tx, principal.user.id, params.id))))
