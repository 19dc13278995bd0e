import { defineReportRoute } from '../../../utils/report-route'

export default defineReportRoute('tax-summary')
