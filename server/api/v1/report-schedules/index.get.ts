import { reportScheduleContracts } from '../../../contracts/report-schedules'
import { listSchedules } from '../../../domain/reports/schedules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(reportScheduleContracts.list, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listSchedules(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
