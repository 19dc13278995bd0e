import { defineReportRoute } from '../../../utils/report-route'

export default defineReportRoute('ap-aging')
