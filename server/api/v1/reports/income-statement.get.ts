import { defineReportRoute } from '../../../utils/report-route'

export default defineReportRoute('income-statement')
