import { subledgerReportContracts } from '../../../../contracts/subledger-reports'
import { customerStatementTable } from '../../../../domain/reports/subledger-tables'
import { customerStatement } from '../../../../domain/reports/subledger'
import { defineStatementRoute } from '../../../../utils/report-route'

export default defineStatementRoute(subledgerReportContracts.getCustomerStatement, customerStatement, customerStatementTable)
