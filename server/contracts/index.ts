import { subledgerReportContracts } from './subledger-reports'
import { bankContracts } from './bank'
import { bankMatchingContracts } from './bank-matching'
import { authContracts } from './auth'
import { billPaymentContracts } from './bill-payments'
import { billContracts } from './bills'
import { closingContracts } from './closing'
import { dashboardContracts } from './dashboard'
import type { Contract } from './define'
import { eventContracts } from './events'
import { exportContracts } from './exports'
import { invitationContracts } from './invitations'
import { ledgerContracts } from './ledger'
import { notificationContracts } from './notifications'
import { operationsContracts } from './operations'
import { paymentRunContracts } from './payment-runs'
import { recurringInvoiceContracts } from './recurring-invoices'
import { reportScheduleContracts } from './report-schedules'
import { reportContracts } from './reports'
import { salesContracts } from './sales'
import { receiptContracts } from './receipts'
import { salesDocumentContracts } from './sales-documents'
import { settingsContracts } from './settings'
import { systemContracts } from './system'
import { tenantContracts } from './tenants'
import { userContracts } from './users'
import { vendorCreditContracts } from './vendor-credits'
import { vendorContracts } from './vendors'

/** Every route's contract; the OpenAPI document is generated from this list. */
export const contracts: Contract[] = [
  ...Object.values(systemContracts),
  ...Object.values(authContracts),
  ...Object.values(userContracts),
  ...Object.values(invitationContracts),
  ...Object.values(tenantContracts),
  ...Object.values(settingsContracts),
  ...Object.values(ledgerContracts),
  ...Object.values(reportContracts),
  ...Object.values(dashboardContracts),
  ...Object.values(reportScheduleContracts),
  ...Object.values(closingContracts),
  ...Object.values(salesContracts),
  ...Object.values(salesDocumentContracts),
  ...Object.values(receiptContracts),
  ...Object.values(subledgerReportContracts),
  ...Object.values(recurringInvoiceContracts),
  ...Object.values(vendorContracts),
  ...Object.values(billContracts),
  ...Object.values(billPaymentContracts),
  ...Object.values(vendorCreditContracts),
  ...Object.values(paymentRunContracts),
  ...Object.values(bankContracts),
  ...Object.values(bankMatchingContracts),
  ...Object.values(exportContracts),
  ...Object.values(eventContracts),
  ...Object.values(notificationContracts),
  ...Object.values(operationsContracts),
]
