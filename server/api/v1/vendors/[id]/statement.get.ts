import { subledgerReportContracts } from '../../../../contracts/subledger-reports'
import { vendorStatementTable } from '../../../../domain/reports/subledger-tables'
import { vendorStatement } from '../../../../domain/reports/subledger'
import { defineStatementRoute } from '../../../../utils/report-route'

export default defineStatementRoute(subledgerReportContracts.getVendorStatement, vendorStatement, vendorStatementTable)
