/**
 * Examples for the OpenAPI document: one realistic value per named schema (the component's
 * `examples`), from which each operation's request and response examples are composed along its
 * zod schema; a few operations whose answer has no named schema give theirs directly. Kept out of
 * the contracts because the pages import those. tests/unit/openapi.test.ts parses every example
 * with the schema it illustrates, so an example cannot drift from the API.
 */
import type { z } from 'zod'
import { globalRegistry } from 'zod'
import type { Contract } from '../define'

const ids = {
  tenant: '3f6d2a1c-8b4e-4c7a-9d2f-1e5b7a9c0d34',
  user: '8a1e4f2b-6c3d-4e5f-a7b8-9c0d1e2f3a4b',
  owner: '2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e',
  cash: '5d2e8f4a-1b6c-4d7e-9f0a-2b3c4d5e6f70',
  sales: '6e3f9a5b-2c7d-4e8f-a01b-3c4d5e6f7a81',
  entry: '9c4b7e2d-5a1f-4c3e-b8d6-0f2a4c6e8b13',
  reversal: '0d5c8f3e-6b2a-4d4f-9c7e-1a3b5d7f9c24',
  line1: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  line2: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  year: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f01',
  period: '4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f',
  rate: '0e1f2a3b-4c5d-4e6f-a7b8-c9d0e1f2a3b4',
  export: 'b4c5d6e7-f8a9-4b0c-8d1e-2f3a4b5c6d7e',
  schedule: 'c5d6e7f8-a9b0-4c1d-9e2f-3a4b5c6d7e8f',
  notification: 'd6e7f8a9-b0c1-4d2e-af3a-4b5c6d7e8f90',
  mail: 'e7f8a9b0-c1d2-4e3f-8a4b-5c6d7e8f9a01',
  admin: 'f8a9b0c1-d2e3-4f4a-9b5c-6d7e8f9a0b12',
  invitation: 'a9b0c1d2-e3f4-4a5b-8c6d-7e8f9a0b1c23',
  receivable: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
  equipment: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  depreciation: 'd3e4f5a6-b7c8-4d9e-8f1a-2b3c4d5e6f7a',
  loan: 'e4f5a6b7-c8d9-4e0f-9a2b-3c4d5e6f7a8b',
  payable: 'f5a6b7c8-d9e0-4f1a-8b2c-3d4e5f6a7b8c',
  taxPayable: 'a6b7c8d9-e0f1-4a2b-9c3d-4e5f6a7b8c9d',
  taxRate: 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e',
  customer: 'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f',
  item: 'd9e0f1a2-b3c4-4d5e-8f6a-7b8c9d0e1f2a',
  invoice: 'e0f1a2b3-c4d5-4e6f-9a7b-8c9d0e1f2a3b',
  creditNote: 'f1a2b3c4-d5e6-4f7a-8b8c-9d0e1f2a3b4c',
  invoiceEntry: 'a2b3c4d5-e6f7-4a8b-9c9d-0e1f2a3b4c5d',
  receipt: 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e',
  receiptEntry: 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f',
  allocation: 'd5e6f7a8-b9c0-4d1e-8f2a-3b4c5d6e7f80',
  vendor: 'e6f7a8b9-c0d1-4e2f-9a3b-4c5d6e7f8091',
  bankChange: 'a8b9c0d1-e2f3-4a4b-9c5d-6e7f8091a2b3',
  approver: 'b9c0d1e2-f3a4-4b5c-8d6e-7f8091a2b3c4',
  bill: 'c0d1e2f3-a4b5-4c6d-9e7f-8091a2b3c4d5',
  billEntry: 'd1e2f3a4-b5c6-4d7e-8f80-91a2b3c4d5e6',
  billAttachment: 'e2f3a4b5-c6d7-4e8f-9091-a2b3c4d5e6f7',
  supplies: 'f3a4b5c6-d7e8-4f90-81a2-b3c4d5e6f708',
  purchaseTaxRate: 'a4b5c6d7-e8f9-4a01-92b3-c4d5e6f70819',
  inputTax: 'b5c6d7e8-f9a0-4b12-83c4-d5e6f708192a',
  billPayment: 'c6d7e8f9-a0b1-4c23-94d5-e6f708192a3b',
  billPaymentEntry: 'd7e8f9a0-b1c2-4d34-85e6-f708192a3b4c',
  billAllocation: 'e8f9a0b1-c2d3-4e45-96f7-08192a3b4c5d',
  vendorCredit: 'f9a0b1c2-d3e4-4f56-8708-192a3b4c5d6e',
  vendorCreditEntry: 'a0b1c2d3-e4f5-4a67-9819-2a3b4c5d6e7f',
  paymentRun: 'b1c2d3e4-f5a6-4b78-8a2b-3c4d5e6f7081',
  bank: 'c2d3e4f5-a6b7-4c89-9b3c-4d5e6f708192',
}
const at = (day: string, time = '09:30:00') => `2025-${day}T${time}.000Z`

const account = {
  id: ids.cash, code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash', isContra: false, normalBalance: 'debit',
  parentId: null, currency: null, isActive: true, systemKey: null, isControl: false, description: 'Petty cash in the office safe',
  isParent: false, hasPostings: true, balance: '12500.00', version: 3, createdAt: at('01-02'), updatedAt: at('03-14', '16:05:12'),
}
const lines = [
  { id: ids.line1, lineNo: 1, accountId: ids.cash, accountCode: '1000', accountName: 'Cash on hand', description: 'Cash sale', debit: '1250.00', credit: '0.00', baseDebit: '1250.00', baseCredit: '0.00', isRounding: false, accountAmount: null, accountCurrency: null },
  { id: ids.line2, lineNo: 2, accountId: ids.sales, accountCode: '4000', accountName: 'Sales', description: null, debit: '0.00', credit: '1250.00', baseDebit: '0.00', baseCredit: '1250.00', isRounding: false, accountAmount: null, accountCurrency: null },
]
const entry = {
  id: ids.entry, number: 42, date: '2025-03-14', memo: 'Cash sales, 14 March', reference: 'Z-0314', currency: 'USD', exchangeRate: '1',
  status: 'posted', kind: 'manual', reversalOfId: null, reversedById: null, source: null, postedAt: at('03-14', '17:45:00'), version: 2,
  createdAt: at('03-14', '17:40:21'), updatedAt: at('03-14', '17:45:00'),
  totals: { debit: '1250.00', credit: '1250.00', baseDebit: '1250.00', baseCredit: '1250.00' },
  lines,
}
const entryBody = {
  date: '2025-03-14', memo: 'Cash sales, 14 March', reference: 'Z-0314',
  lines: [{ accountCode: '1000', debit: '1250.00', description: 'Cash sale' }, { accountCode: '4000', credit: '1250.00' }],
}
const fiscalYear = { id: ids.year, startDate: '2024-01-01', endDate: '2024-12-31', status: 'open', closingEntryId: null, openPeriods: 1, closedPeriods: 11 }
const drillDown = { accountId: ids.cash, from: '2025-01-01', to: '2025-03-31' }
const row = (code: string, name: string, subtype: string, amount: string, id: string) => ({ accountId: id, code, name, subtype, amount, drillDown: { ...drillDown, accountId: id } })
/** A statement row: an account's, or a computed one (current-year earnings, net income) without account or drill-down. */
type Row = { accountId: string | null, code: string | null, name: string, subtype: string | null, amount: string, drillDown: typeof drillDown | null }
const section = (rows: Row[], total: string) => ({ rows, total })
/** A figure's comparison: the comparative amount, amount − comparative, and that as % of |comparative| to one decimal. */
const compared = (amount: string, variance: string, variancePercent: string | null) => ({ amount, variance, variancePercent })
const noComparison = compared('0.00', '0.00', null)
const emptyCompared = { rows: [], total: '0.00', totalComparison: noComparison }
const exportFile = {
  id: ids.export, report: 'trial-balance', format: 'xlsx', params: { asOf: '2025-03-31' }, status: 'done', progress: 100,
  downloadUrl: `/api/v1/exports/${ids.export}/download`, filename: 'trial-balance.xlsx', size: 18432, createdAt: at('03-31', '17:00:00'), finishedAt: at('03-31', '17:00:04'),
}
const schedule = {
  id: ids.schedule, name: 'Month-end trial balance', report: 'trial-balance', params: {}, format: 'pdf', cron: '0 7 1 * *', timezone: 'Europe/Berlin',
  recipients: ['controller@acme.example'], enabled: true, createdBy: ids.owner, nextRunAt: at('04-01', '05:00:00'), lastRunAt: at('03-01', '06:00:00'),
  lastStatus: 'done', lastError: null, lastExportId: ids.export, version: 1, createdAt: at('02-20', '11:12:13'), updatedAt: at('02-20', '11:12:13'),
}
const job = {
  id: `export-${ids.export}`, name: 'export', queue: 'exports', state: 'failed', data: { tenantId: ids.tenant, exportId: ids.export },
  attemptsMade: 3, attempts: 3, failedReason: 'connect ECONNREFUSED 127.0.0.1:9000', createdAt: at('03-31', '17:00:00'), processedAt: at('03-31', '17:00:01'), finishedAt: at('03-31', '17:02:30'),
}
const outboxRow = {
  id: ids.mail, outbox: 'mail', tenantId: ids.tenant, tenantSlug: 'acme', type: 'invitation', title: 'You are invited to Acme Ltd on Paksa Financial',
  recipients: ['new.hire@acme.example'], status: 'sent', attempts: 1, error: null, createdAt: at('03-10', '08:00:00'), finishedAt: at('03-10', '08:00:02'),
}
const sessionUser = { id: ids.owner, email: 'olivia@acme.example', name: 'Olivia Owner' }
const tenant = { id: ids.tenant, slug: 'acme', name: 'Acme Ltd', status: 'active', baseCurrency: 'USD', fiscalYearStartMonth: 1, createdAt: at('01-02', '08:00:00'), updatedAt: at('01-02', '08:00:00'), userCount: 4 }
const { userCount: _, ...tenantWithoutCount } = tenant

/** One example per named schema (`.meta({ id })` in server/contracts). */
// An invoice and a credit note against it, shared by their resource and summary examples.
const invoiceLine = {
  lineNo: 1, itemId: ids.item, description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', accountId: ids.sales, taxRateId: ids.taxRate,
  amount: '53.97', net: '53.97', tax: '10.79', total: '64.76',
  taxes: [{ taxRateId: ids.taxRate, position: 0, name: 'VAT standard rate', rate: '20.0000', accountId: ids.taxPayable, net: '53.97', tax: '10.79' }],
}
const invoiceTax = {
  taxRateId: ids.taxRate, rate: '20.0000', net: '53.97', tax: '10.79',
  components: [{ position: 0, name: 'VAT standard rate', rate: '20.0000', accountId: ids.taxPayable, net: '53.97', tax: '10.79' }],
}
const billSummary = {
  id: ids.bill, number: 'BILL-000042', status: 'open', vendor: { id: ids.vendor, name: 'Harbour Office Supplies' }, vendorId: ids.vendor, vendorReference: 'HOS-10422',
  date: '2025-03-10', dueDate: '2025-04-09', currency: 'GBP', exchangeRate: '1', memo: null, amountsAre: 'exclusive',
  subtotal: '120.00', taxTotal: '24.00', total: '144.00', amountPaid: '0.00', amountDue: '144.00', journalEntryId: ids.billEntry, voidEntryId: null,
  kind: 'bill', creditedBillId: null,
  submittedBy: ids.user, submittedAt: at('03-10', '10:05:00'), approvedBy: ids.approver, approvedAt: at('03-11', '08:40:00'),
  rejectedBy: null, rejectedAt: null, rejectionReason: null, postedAt: at('03-11', '08:40:00'), voidedAt: null,
  version: 3, createdAt: at('03-10', '10:01:30'), updatedAt: at('03-11', '08:40:00'),
}
// A payment of 200.00 paying BILL-000042 (144.00): 56.00 is a prepayment to the vendor.
const billAllocation = {
  id: ids.billAllocation, billId: ids.bill, billNumber: 'BILL-000042', paymentId: ids.billPayment, vendorCreditId: null, sourceNumber: 'PAY-000007',
  vendorId: ids.vendor, date: '2025-03-28', currency: 'GBP', amount: '144.00', baseAmountBill: '144.00', baseAmountSource: '144.00', fxAmount: '0.00',
  fxEntryId: null, releasedAt: null, createdAt: at('03-28', '14:00:00'),
}
const billPaymentSummary = {
  id: ids.billPayment, number: 'PAY-000007', status: 'active', vendor: { id: ids.vendor, name: 'Harbour Office Supplies' }, vendorId: ids.vendor,
  date: '2025-03-28', amount: '200.00', currency: 'GBP', exchangeRate: '1', paymentAccountId: ids.cash, reference: 'FPS 88120', memo: null,
  amountAllocated: '144.00', amountUnallocated: '56.00', journalEntryId: ids.billPaymentEntry, voidEntryId: null, voidedAt: null,
  version: 1, createdAt: at('03-28', '14:00:00'), updatedAt: at('03-28', '14:00:00'),
}
// The vendor's credit note for one box returned: 40.00 + input VAT 8.00 = 48.00, not yet allocated.
const vendorCreditSummary = {
  ...billSummary, id: ids.vendorCredit, kind: 'vendor_credit', number: 'VC-000003', status: 'open', vendorReference: 'HOS-CN-118', creditedBillId: ids.bill,
  date: '2025-03-15', dueDate: '2025-03-15', subtotal: '40.00', taxTotal: '8.00', total: '48.00', amountPaid: '0.00', amountDue: '48.00',
  journalEntryId: ids.vendorCreditEntry, submittedAt: at('03-15', '09:00:00'), approvedBy: null, approvedAt: null, postedAt: at('03-15', '09:00:00'),
  version: 2, createdAt: at('03-15', '08:55:00'), updatedAt: at('03-15', '09:00:00'),
}
// A payment run of the bill above (144.00, approved by a second person) and one left out for want of bank details.
const paymentRunSummary = {
  id: ids.paymentRun, number: 'PR-000007', status: 'approved', date: '2025-04-08', dueOnOrBefore: null,
  paymentAccount: { id: ids.bank, code: '1010', name: 'Bank account', currency: 'GBP' },
  preparedBy: { id: ids.user, name: 'Cody Clerk' }, preparedAt: at('04-07', '16:10:00'), approvedBy: { id: ids.approver, name: 'Abe Approver' }, approvedAt: at('04-08', '08:05:00'),
  cancelledBy: null, cancelledAt: null,
  totals: [{ currency: 'GBP', payments: 1, amount: '144.00' }],
  vendors: [{ vendor: { id: ids.vendor, name: 'Harbour Office Supplies' }, currency: 'GBP', bills: 1, amount: '144.00', excludedReason: null, paymentId: ids.billPayment }],
  version: 2, createdAt: at('04-07', '16:10:00'), updatedAt: at('04-08', '08:05:00'),
}
const paymentRunItem = {
  billId: ids.bill, billNumber: 'BILL-000042', vendorReference: 'HOS-10422', date: '2025-03-10', dueDate: '2025-04-09', billTotal: '144.00',
  vendor: { id: ids.vendor, name: 'Harbour Office Supplies' }, currency: 'GBP', amount: '144.00', excludedReason: null, paymentId: ids.billPayment,
}
const invoiceSummary = {
  id: ids.invoice, kind: 'invoice', number: 'INV-000042', status: 'partially_paid', customer: { id: ids.customer, name: 'Northwind Traders' }, customerId: ids.customer,
  date: '2025-03-14', dueDate: '2025-03-28', currency: 'GBP', exchangeRate: '1', reference: 'PO-7781', memo: null, amountsAre: 'exclusive', invoiceId: null,
  subtotal: '53.97', taxTotal: '10.79', total: '64.76', amountPaid: '21.59', amountDue: '43.17', journalEntryId: ids.invoiceEntry, voidEntryId: null,
  issuedAt: at('03-14', '10:02:11'), voidedAt: null, version: 2, createdAt: at('03-14'), updatedAt: at('03-14', '10:02:11'),
}
const creditNoteSummary = {
  ...invoiceSummary, id: ids.creditNote, kind: 'credit_note', number: 'CN-000007', status: 'paid', date: '2025-03-20', dueDate: null, reference: null,
  memo: 'One hour credited', invoiceId: ids.invoice, subtotal: '17.99', taxTotal: '3.60', total: '21.59', amountPaid: '21.59', amountDue: '0.00',
  journalEntryId: ids.entry, issuedAt: at('03-20', '11:40:00'), createdAt: at('03-20'), updatedAt: at('03-20', '11:40:00'),
}

// A receipt of 100.00 paying the rest of INV-000042 (43.17): 56.83 stays the customer's credit.
const allocation = {
  id: ids.allocation, invoiceId: ids.invoice, invoiceNumber: 'INV-000042', receiptId: ids.receipt, creditNoteId: null, sourceNumber: 'RCT-000012',
  customerId: ids.customer, date: '2025-03-25', currency: 'GBP', amount: '43.17', baseAmountInvoice: '43.17', baseAmountSource: '43.17', fxAmount: '0.00',
  fxEntryId: null, releasedAt: null, createdAt: at('03-25', '09:12:40'),
}
const receiptSummary = {
  id: ids.receipt, number: 'RCT-000012', status: 'active', customer: { id: ids.customer, name: 'Northwind Traders' }, customerId: ids.customer,
  date: '2025-03-25', amount: '100.00', currency: 'GBP', exchangeRate: '1', depositAccountId: ids.cash, reference: 'BACS 552190', memo: null,
  amountAllocated: '43.17', amountUnallocated: '56.83', journalEntryId: ids.receiptEntry, voidEntryId: null, voidedAt: null,
  version: 1, createdAt: at('03-25', '09:12:40'), updatedAt: at('03-25', '09:12:40'),
}

export const schemaExamples: Record<string, unknown> = {
  Ok: { ok: true },
  Error: { statusCode: 409, statusMessage: 'The record was changed by someone else; reload and try again', message: 'The record was changed by someone else; reload and try again', data: { code: 'STALE_VERSION' } },
  Account: account,
  CreateAccount: { code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash', description: 'Petty cash in the office safe' },
  UpdateAccount: { name: 'Cash on hand (office)', version: 3 },
  JournalEntry: entry,
  JournalEntryLine: lines[0],
  JournalEntrySource: { type: 'fiscal_year', id: ids.year },
  JournalEntrySummary: { id: ids.entry, number: 42, date: '2025-03-14', memo: 'Cash sales, 14 March', reference: 'Z-0314', currency: 'USD', status: 'posted', kind: 'manual', reversalOfId: null, reversedById: null, source: null, createdAt: at('03-14', '17:40:21'), version: 2, total: '1250.00' },
  CreateJournalEntry: { ...entryBody, post: true },
  UpdateJournalEntry: { ...entryBody, memo: 'Cash sales, 14 March (corrected)', version: 1 },
  ReverseJournalEntry: { date: '2025-03-31' },
  FiscalPeriod: { id: ids.period, fiscalYearId: ids.year, number: 3, startDate: '2025-03-01', endDate: '2025-03-31', status: 'closed', closedAt: at('04-03', '10:00:00'), fiscalYearStart: '2025-01-01', fiscalYearEnd: '2025-12-31' },
  ReopenFiscalPeriod: { reason: 'Supplier invoice for March arrived late' },
  ExchangeRate: { id: ids.rate, currency: 'EUR', date: '2025-03-31', rate: '1.0812', createdAt: at('03-31', '18:00:00') },
  CreateExchangeRate: { currency: 'EUR', date: '2025-03-31', rate: '1.0812' },
  FiscalYear: fiscalYear,
  ClosedFiscalYear: { ...fiscalYear, status: 'closed', closingEntryId: ids.entry, openPeriods: 0, closedPeriods: 12, closingEntry: { ...entry, number: 318, date: '2024-12-31', memo: 'Year-end close 2024', reference: null, kind: 'year_end', source: { type: 'fiscal_year', id: ids.year } } },
  RevaluationRequest: { date: '2025-03-31' },
  Revaluation: {
    date: '2025-03-31',
    accounts: [{ accountId: ids.cash, code: '1010', currency: 'EUR', foreignBalance: '10000.00', rate: '1.0812', revaluedBalance: '10812.00', bookBalance: '10650.00', difference: '162.00' }],
    entry: { ...entry, number: 57, date: '2025-03-31', memo: 'Unrealised FX revaluation at 2025-03-31', reference: null, kind: 'revaluation', reversedById: ids.reversal, source: { type: 'revaluation', id: ids.entry } },
    reversal: { ...entry, id: ids.reversal, number: 58, date: '2025-04-01', memo: 'Reversal of #57: Unrealised FX revaluation at 2025-03-31', reference: null, kind: 'reversal', reversalOfId: ids.entry, source: { type: 'revaluation', id: ids.entry } },
  },
  DrillDown: drillDown,
  StatementRow: row('1000', 'Cash on hand', 'cash', '12500.00', ids.cash),
  StatementSection: section([row('1000', 'Cash on hand', 'cash', '12500.00', ids.cash)], '12500.00'),
  TrialBalance: {
    asOf: '2025-03-31', currency: 'USD',
    rows: [
      { accountId: ids.cash, code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash', debit: '12500.00', credit: '0.00', abnormal: false, drillDown: { accountId: ids.cash, from: null, to: '2025-03-31' } },
      { accountId: ids.sales, code: '4000', name: 'Sales', type: 'revenue', subtype: 'operating_revenue', debit: '0.00', credit: '12500.00', abnormal: false, drillDown: { accountId: ids.sales, from: '2025-01-01', to: '2025-03-31' } },
    ],
    totals: { debit: '12500.00', credit: '12500.00' },
  },
  BalanceSheet: {
    asOf: '2025-03-31', currency: 'USD', fiscalYearStart: '2025-01-01',
    assets: { rows: [{ ...row('1000', 'Cash on hand', 'cash', '12500.00', ids.cash), comparison: compared('9000.00', '3500.00', '38.9') }], total: '12500.00', totalComparison: compared('9000.00', '3500.00', '38.9') },
    liabilities: emptyCompared,
    equity: {
      rows: [
        { accountId: null, code: null, name: 'Retained earnings (prior years)', subtype: 'retained_earnings', amount: '9000.00', drillDown: null, comparison: compared('0.00', '9000.00', null) },
        { accountId: null, code: null, name: 'Current-year earnings', subtype: 'current_earnings', amount: '3500.00', drillDown: null, comparison: compared('9000.00', '-5500.00', '-61.1') },
      ],
      total: '12500.00', totalComparison: compared('9000.00', '3500.00', '38.9'),
    },
    totalLiabilitiesAndEquity: '12500.00',
    comparison: { asOf: '2024-12-31', fiscalYearStart: '2024-01-01', totalLiabilitiesAndEquity: compared('9000.00', '3500.00', '38.9') },
  },
  IncomeStatement: {
    from: '2025-01-01', to: '2025-03-31', currency: 'USD',
    revenue: section([row('4000', 'Sales', 'operating_revenue', '12500.00', ids.sales)], '12500.00'),
    expenses: section([], '0.00'),
    netIncome: '12500.00',
    comparative: {
      from: '2024-01-01', to: '2024-03-31',
      revenue: section([{ ...row('4000', 'Sales', 'operating_revenue', '10000.00', ids.sales), drillDown: { accountId: ids.sales, from: '2024-01-01', to: '2024-03-31' } }], '10000.00'),
      expenses: section([], '0.00'),
      netIncome: '10000.00',
    },
    sections: {
      revenue: { rows: [{ ...row('4000', 'Sales', 'operating_revenue', '12500.00', ids.sales), comparison: compared('10000.00', '2500.00', '25.0') }], total: '12500.00', totalComparison: compared('10000.00', '2500.00', '25.0') },
      costOfSales: emptyCompared, operatingExpenses: emptyCompared, otherIncome: emptyCompared, otherExpenses: emptyCompared,
    },
    subtotals: {
      grossProfit: { amount: '12500.00', comparison: compared('10000.00', '2500.00', '25.0') },
      operatingProfit: { amount: '12500.00', comparison: compared('10000.00', '2500.00', '25.0') },
      netIncome: { amount: '12500.00', comparison: compared('10000.00', '2500.00', '25.0') },
    },
    comparison: { basis: 'previous-year', from: '2024-01-01', to: '2024-03-31' },
  },
  DashboardSummary: {
    asOf: '2025-03-20', currency: 'USD', cash: '12500.00',
    months: [
      { month: '2025-02', from: '2025-02-01', to: '2025-02-28', revenue: '4200.00', expenses: '2400.00', netIncome: '1800.00' },
      { month: '2025-03', from: '2025-03-01', to: '2025-03-20', revenue: '12500.00', expenses: '0.00', netIncome: '12500.00' },
    ],
    receivables: { total: '3450.00', overdue: '1250.00', current: '2200.00', days1to30: '1000.00', days31to60: '250.00', days61to90: '0.00', over90: '0.00' },
    payables: { total: '1940.00', overdue: '440.00', current: '1500.00', days1to30: '440.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' },
  },
  ArAging: {
    asOf: '2025-03-31', currency: 'USD',
    rows: [{ customerId: ids.customer, name: 'Northwind Traders', current: '2200.00', days1to30: '1000.00', days31to60: '250.00', days61to90: '0.00', over90: '0.00', total: '3450.00' }],
    totals: { current: '2200.00', days1to30: '1000.00', days31to60: '250.00', days61to90: '0.00', over90: '0.00', total: '3450.00' },
  },
  ArAgingDocument: {
    id: ids.invoice, kind: 'invoice', number: 'INV-000042', date: '2025-02-01', dueDate: '2025-03-03', daysPastDue: 28, bucket: 'days1to30',
    openAmount: '1000.00', currency: 'USD', openBase: '1000.00',
  },
  ApAging: {
    asOf: '2025-03-31', currency: 'USD',
    rows: [{ vendorId: ids.vendor, name: 'Harbour Office Supplies', current: '1500.00', days1to30: '440.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00', total: '1940.00' }],
    totals: { current: '1500.00', days1to30: '440.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00', total: '1940.00' },
  },
  ApAgingDocument: {
    id: ids.bill, kind: 'bill', number: 'BILL-000042', date: '2025-02-14', dueDate: '2025-03-16', daysPastDue: 15, bucket: 'days1to30',
    openAmount: '440.00', currency: 'USD', openBase: '440.00',
  },
  TaxSummary: {
    from: '2025-01-01', to: '2025-03-31', currency: 'USD',
    rows: [{ taxRateId: ids.taxRate, code: 'VAT20', name: 'VAT standard rate', rate: '20', salesNet: '12500.00', salesTax: '2500.00', purchasesNet: '4000.00', purchasesTax: '800.00' }],
    totals: { salesNet: '12500.00', salesTax: '2500.00', purchasesNet: '4000.00', purchasesTax: '800.00', net: '1700.00' },
  },
  CustomerStatement: {
    customer: { id: ids.customer, name: 'Northwind Traders', code: 'NW', email: 'accounts@northwind.example' },
    currency: 'USD', from: '2025-03-01', to: '2025-03-31', openingBalance: '250.00',
    rows: [
      { date: '2025-03-03', type: 'invoice', id: ids.invoice, number: 'INV-000042', reference: 'PO-1187', charges: '1200.00', payments: '0.00', balance: '1450.00' },
      { date: '2025-03-25', type: 'receipt', id: ids.receipt, number: 'RCT-000007', reference: 'BACS 552190', charges: '0.00', payments: '200.00', balance: '1250.00' },
    ],
    closingBalance: '1250.00',
  },
  VendorStatement: {
    vendor: { id: ids.vendor, name: 'Harbour Office Supplies', code: 'HOS', email: 'billing@harbour.example' },
    currency: 'USD', from: '2025-03-01', to: '2025-03-31', openingBalance: '1500.00',
    rows: [{ date: '2025-03-10', type: 'bill', id: ids.bill, number: 'BILL-000042', reference: 'HOS-10422', charges: '440.00', payments: '0.00', balance: '1940.00' }],
    closingBalance: '1940.00',
  },
  CashFlowStatement: {
    from: '2025-01-01', to: '2025-03-31', currency: 'USD', netIncome: '12500.00',
    operating: section([
      { accountId: null, code: null, name: 'Net income', subtype: null, amount: '12500.00', drillDown: null },
      row('6600', 'Depreciation expense', 'depreciation', '250.00', ids.depreciation),
      row('1100', 'Accounts receivable', 'receivable', '-1750.00', ids.receivable),
    ], '11000.00'),
    investing: section([row('1500', 'Purchase of Equipment', 'fixed_asset', '-3000.00', ids.equipment)], '-3000.00'),
    financing: section([row('2500', 'Proceeds from Bank loan', 'loan', '4500.00', ids.loan)], '4500.00'),
    netChange: '12500.00', openingCash: '0.00', closingCash: '12500.00',
    noncashActivities: [{ date: '2025-02-10', entryId: ids.entry, number: 17, memo: 'Land bought for a note payable', amount: '40000.00' }],
  },
  GeneralLedger: {
    account: { id: ids.cash, code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash', normalBalance: 'debit' },
    currency: 'USD', from: '2025-03-01', to: '2025-03-31', openingBalance: '11250.00',
    rows: [{ date: '2025-03-14', entryId: ids.entry, number: 42, memo: 'Cash sales, 14 March', description: 'Cash sale', debit: '1250.00', credit: '0.00', balance: '12500.00' }],
    closingBalance: '12500.00', page: 1, pageSize: 500, total: 1,
  },
  GeneralLedgerAccounts: {
    currency: 'USD', from: '2025-03-01', to: '2025-03-31', fromCode: '1000', toCode: '4999',
    accounts: [
      {
        account: { id: ids.cash, code: '1000', name: 'Cash on hand', type: 'asset', subtype: 'cash', normalBalance: 'debit' },
        openingBalance: '11250.00',
        rows: [{ date: '2025-03-14', entryId: ids.entry, number: 42, memo: 'Cash sales, 14 March', description: 'Cash sale', debit: '1250.00', credit: '0.00', balance: '12500.00' }],
        closingBalance: '12500.00', lineCount: 1, firstLine: 1,
      },
      {
        account: { id: ids.sales, code: '4000', name: 'Sales', type: 'revenue', subtype: 'operating_revenue', normalBalance: 'credit' },
        openingBalance: '11250.00',
        rows: [{ date: '2025-03-14', entryId: ids.entry, number: 42, memo: 'Cash sales, 14 March', description: null, debit: '0.00', credit: '1250.00', balance: '12500.00' }],
        closingBalance: '12500.00', lineCount: 1, firstLine: 1,
      },
    ],
    page: 1, pageSize: 500, total: 2, accountCount: 2,
  },
  ExportRequest: { report: 'trial-balance', format: 'xlsx', params: { asOf: '2025-03-31' } },
  Export: exportFile,
  ExportAccepted: { id: ids.export, status: 'queued' },
  ReportSchedule: schedule,
  CreateReportSchedule: { name: 'Month-end trial balance', report: 'trial-balance', format: 'pdf', cron: '0 7 1 * *', timezone: 'Europe/Berlin', recipients: ['controller@acme.example'] },
  UpdateReportSchedule: { enabled: false, version: 1 },
  Notification: { id: ids.notification, type: 'export.ready', title: 'Your export is ready', body: 'trial-balance.xlsx can be downloaded now', link: '/reports/exports', readAt: null, createdAt: at('03-31', '17:00:04') },
  Queue: { name: 'exports', paused: false, counts: { 'waiting': 0, 'active': 1, 'delayed': 0, 'prioritized': 0, 'waiting-children': 0, 'completed': 214, 'failed': 2 } },
  Job: job,
  OutboxRow: outboxRow,
  OutboxRowDetail: {
    ...outboxRow,
    details: {
      text: 'Olivia Owner invited you to Acme Ltd. Accept: https://acme.paksa.example/invite/…',
      html: '<p>Olivia Owner invited you to <b>Acme Ltd</b>.</p>',
      attachments: [],
    },
  },
  WorkerBeat: { id: 'worker-host1-4242', pid: 4242, host: 'host1', mode: 'process', backend: 'redis', queues: ['exports', 'mail', 'maintenance'], startedAt: at('03-31', '06:00:00'), beatAt: at('03-31', '17:05:00'), active: 1 },
  PlatformHealth: {
    database: 'ok', cache: 'ok', queueBackend: 'redis',
    workers: [{ id: 'worker-host1-4242', pid: 4242, host: 'host1', mode: 'process', backend: 'redis', queues: ['exports', 'mail', 'maintenance'], startedAt: at('03-31', '06:00:00'), beatAt: at('03-31', '17:05:00'), active: 1 }],
  },
  // Identity (server/contracts/auth.ts, users.ts, tenants.ts, invitations.ts)
  Credentials: { email: 'olivia@acme.example', password: 'correct horse battery staple' },
  Session: { accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI4YTFlNGYyYiJ9.c2lnbmF0dXJl', refreshToken: 'rt_Q2hhbmdlIG1lIHBsZWFzZQ', expiresIn: 900, user: sessionUser },
  SessionUser: sessionUser,
  RefreshRequest: { refreshToken: 'rt_Q2hhbmdlIG1lIHBsZWFzZQ' },
  LogoutRequest: { refreshToken: 'rt_Q2hhbmdlIG1lIHBsZWFzZQ' },
  Me: {
    user: sessionUser,
    tenant: { id: ids.tenant, slug: 'acme', name: 'Acme Ltd', baseCurrency: 'USD', fiscalYearStartMonth: 1 },
    roles: ['owner'],
    permissions: ['ledger:read', 'ledger:write', 'ledger:post', 'reports:read', 'reports:export', 'users:manage'],
  },
  PasswordChange: { currentPassword: 'correct horse battery staple', newPassword: 'a longer passphrase for 2025' },
  User: { id: ids.user, email: 'anna@acme.example', name: 'Anna Accountant', roles: ['accountant'], status: 'active', version: 1, createdAt: at('02-03', '10:00:00'), updatedAt: at('02-03', '10:00:00') },
  CreateUser: { email: 'anna@acme.example', name: 'Anna Accountant', roles: ['accountant'] },
  UpdateUser: { roles: ['accountant', 'auditor'], version: 1 },
  Tenant: tenant,
  CreateTenant: { slug: 'acme', name: 'Acme Ltd', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard', owner: { email: 'olivia@acme.example', name: 'Olivia Owner', password: 'correct horse battery staple' } },
  UpdateTenant: { status: 'suspended' },
  Signup: { tenant: tenantWithoutCount, loginUrl: 'https://acme.paksa.example/login', handoffUrl: 'https://acme.paksa.example/handoff#token=Hq3nV8wZ0pL2rT6yB1cX9mK4dF7gJ5sA0eU3iO8uQ2w' },
  Organisation: { slug: 'acme', name: 'Acme Ltd', url: 'https://acme.paksa.example/', roles: ['owner'], current: true },
  HandoffIssue: { slug: 'acme-holdings' },
  Handoff: { url: 'https://acme-holdings.paksa.example/handoff#token=Hq3nV8wZ0pL2rT6yB1cX9mK4dF7gJ5sA0eU3iO8uQ2w', expiresAt: at('03-31', '17:06:00') },
  HandoffRequest: { token: 'Hq3nV8wZ0pL2rT6yB1cX9mK4dF7gJ5sA0eU3iO8uQ2w' },
  SignupRequest: { slug: 'acme', name: 'Acme Ltd', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard', owner: { email: 'olivia@acme.example', name: 'Olivia Owner' } },
  SignupPending: { status: 'pending' },
  SignupLink: { email: 'olivia@acme.example', organisationName: 'Acme Ltd', slug: 'acme', newAccount: true, expiresAt: at('01-03', '08:00:00') },
  CompleteSignup: { password: 'correct horse battery staple' },
  PlatformAdmin: { id: ids.admin, email: 'ops@paksa.example', name: 'Platform Operations' },
  AdminCredentials: { email: 'ops@paksa.example', password: 'correct horse battery staple' },
  Invitation: { email: 'new.hire@acme.example', name: 'Nina New', tenantName: 'Acme Ltd', newAccount: true, expiresAt: at('03-17', '08:00:00') },
  AcceptInvitation: { name: 'Nina New', password: 'a longer passphrase for 2025' },
  IssuedInvitation: { id: ids.invitation, email: 'new.hire@acme.example', expiresAt: at('03-17', '08:00:00') },
  PasswordResetRequest: { email: 'olivia@acme.example' },
  Settings: {
    name: 'Acme Ltd', address: '1 Market Street\nSpringfield', taxNumber: 'GB123456789', timeZone: 'Europe/London', dateFormat: 'DD/MM/YYYY', numberFormat: '1,234.56', negativeStyle: 'parentheses',
    invoicePrefix: 'INV-', defaultPaymentTermsDays: 30, dunningDays: [7, 14, 30], billApprovalThreshold: '1000.00', arControlAccountId: ids.receivable, apControlAccountId: ids.payable,
    logoFileId: '0193a5c2-7b1e-7c3d-9f2a-4e5b6c7d8e9f', baseCurrency: 'GBP', fiscalYearStartMonth: 4, version: 4, updatedAt: at('02-11', '10:15:00'),
  },
  // Sales (server/contracts/sales.ts)
  TaxRate: {
    id: ids.taxRate, code: 'VAT20', name: 'VAT standard rate', rate: '20.0000', scope: 'both', accountId: ids.taxPayable, isGroup: false, components: [],
    isActive: true, inUse: true, version: 1, createdAt: at('01-02'), updatedAt: at('01-02'),
  },
  CreateTaxRate: { code: 'VAT20', name: 'VAT standard rate', rate: '20', scope: 'both' },
  UpdateTaxRate: { isActive: false, version: 1 },
  TaxRateInputComponent: { name: 'GST', rate: '5', accountId: ids.taxPayable },
  TaxRateComponent: { id: ids.line1, name: 'GST', rate: '5.0000', accountId: ids.taxPayable },
  Customer: {
    id: ids.customer, code: 'C-0042', name: 'Northwind Traders', email: 'accounts@northwind.example', currency: null, paymentTermsDays: 14,
    taxNumber: 'GB987654321', billingAddress: '12 Harbour Road\nPortsmouth PO1 3AB', isActive: true, balance: '0.00', version: 1, createdAt: at('02-01'), updatedAt: at('02-01'),
  },
  CreateCustomer: { name: 'Northwind Traders', email: 'accounts@northwind.example', paymentTermsDays: 14, code: 'C-0042' },
  UpdateCustomer: { paymentTermsDays: 30, version: 1 },
  Item: {
    id: ids.item, code: 'CONSULT-H', name: 'Consulting, per hour', kind: 'service', description: null, salesPrice: '120.00', purchasePrice: null,
    incomeAccountId: ids.sales, expenseAccountId: null, salesTaxRateId: ids.taxRate, purchaseTaxRateId: null, isActive: true, version: 1, createdAt: at('02-01'), updatedAt: at('02-01'),
  },
  CreateItem: { code: 'CONSULT-H', name: 'Consulting, per hour', kind: 'service', salesPrice: '120.00', incomeAccountId: ids.sales, salesTaxRateId: ids.taxRate },
  UpdateItem: { salesPrice: '135.00', version: 1 },
  // Vendors (server/contracts/vendors.ts): bank accounts masked; the full value only through the audited reveal
  BankAccountInput: { iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
  MaskedBankAccount: { iban: 'DE89 **** **** 3000', accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
  BankAccount: { iban: 'DE89370400440532013000', accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
  VendorBankChange: { id: ids.bankChange, bankAccount: { iban: 'GB82 **** **** 5432', accountNumber: null, bic: 'NWBKGB2L', bankName: 'NatWest' }, requestedBy: ids.user, requestedAt: at('03-02') },
  Vendor: {
    id: ids.vendor, code: 'V-0007', name: 'Harbour Office Supplies', email: 'accounts@harbour-office.example', phone: '+44 23 9200 1234', currency: null, paymentTermsDays: 30,
    taxNumber: 'GB123456780', address: '4 Dock Lane\nSouthampton SO14 2AA', isActive: true,
    bankAccount: { iban: 'DE89 **** **** 3000', accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' }, bankAccountConfirmedBy: ids.approver, bankAccountConfirmedAt: at('02-01', '11:00:00'),
    pendingBankAccount: null, duplicateBankAccountVendorIds: [], version: 2, createdAt: at('02-01'), updatedAt: at('02-01', '11:00:00'),
  },
  CreateVendor: { name: 'Harbour Office Supplies', email: 'accounts@harbour-office.example', paymentTermsDays: 30, code: 'V-0007', bankAccount: { iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' } },
  UpdateVendor: { bankAccount: { iban: 'GB82 WEST 1234 5698 7654 32', bic: 'NWBKGB2L', bankName: 'NatWest' }, version: 2 },
  BankCsvMapping: { date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', reference: 'Referenz', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.' },
  CreateBankAccount: { name: 'Commerzbank current account', accountId: ids.cash, accountNumber: 'DE89 3704 0044 0532 0130 00', openingBalance: '12500.00', openingBalanceDate: '2025-01-01' },
  UpdateBankAccount: { name: 'Commerzbank operating account', version: 1 },
  BankAccountResource: {
    id: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', name: 'Commerzbank current account', accountId: ids.cash, accountCode: '1010', accountName: 'Bank account', currency: 'EUR',
    accountNumberMasked: 'DE89 **** **** 3000', openingBalance: '12500.0000', openingBalanceDate: '2025-01-01', openingEntryId: ids.entry,
    csvMapping: null, isActive: true, glBalance: '14310.55', bankBalance: '14190.55', statementBalance: '14190.55', statementBalanceDate: '2025-02-28', unmatchedCount: 4, lastImportAt: at('03-02', '10:15:00'), version: 1, createdAt: at('01-02'), updatedAt: at('01-02'),
  },
  BankImportInput: { format: 'camt053', content: '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">…</Document>', fileName: 'camt053-2025-03.xml' },
  BankTransaction: {
    id: '0193a4b2-8a12-7c2d-9e3f-1a2b3c4d5e62', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', importId: '0193a4b2-8a11-7c2d-9e3f-1a2b3c4d5e61', date: '2025-03-03',
    amount: '-89.9000', description: 'Abschlag März', reference: 'DA-77', bankId: '2025030300017', counterparty: 'Stadtwerke', status: 'unmatched', createdAt: at('03-04', '10:15:00'),
  },
  BankMatch: { journalLineId: ids.line1, entryId: ids.entry, entryNumber: 118, date: '2025-03-03', amount: '-89.9000', source: 'journal_line', ruleId: null },
  BankTransactionDetail: {
    id: '0193a4b2-8a12-7c2d-9e3f-1a2b3c4d5e62', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', importId: '0193a4b2-8a11-7c2d-9e3f-1a2b3c4d5e61', date: '2025-03-03',
    amount: '-89.9000', description: 'Abschlag März', reference: 'DA-77', bankId: '2025030300017', counterparty: 'Stadtwerke', status: 'matched', createdAt: at('03-04', '10:15:00'),
    matches: [{ journalLineId: ids.line1, entryId: ids.entry, entryNumber: 118, date: '2025-03-03', amount: '-89.9000', source: 'journal_line', ruleId: null }],
  },
  BankSuggestion: {
    kind: 'bill_payment', id: '0193a4b2-8a13-7c2d-9e3f-1a2b3c4d5e63', journalLineId: ids.line1, entryId: ids.entry, entryNumber: 118, date: '2025-03-02', amount: '-89.9000',
    description: 'PAY-000012 · Stadtwerke', score: 0.97, reason: 'Same amount; 1 day apart; Reference DA-77; Vendor Stadtwerke',
  },
  BankMatchInput: { journalLineIds: [ids.line1] },
  BankCategorizeInput: { accountId: ids.sales, taxRateId: ids.taxRate, memo: 'Electricity, March' },
  BankRule: {
    id: '0193a4b2-8a14-7c2d-9e3f-1a2b3c4d5e64', name: 'Bank fees', priority: 10, conditions: { descriptionContains: 'Kontoführung', amountMin: null, amountMax: '50.0000', direction: 'out' },
    action: { accountId: ids.sales, taxRateId: null, memo: 'Bank fees' }, autoApply: true, version: 1, createdAt: at('03-01'), updatedAt: at('03-01'),
  },
  CreateBankRule: { name: 'Bank fees', priority: 10, conditions: { descriptionContains: 'Kontoführung', amountMax: '50.00', direction: 'out' }, action: { accountId: ids.sales, memo: 'Bank fees' }, autoApply: true },
  UpdateBankRule: { priority: 20, version: 1 },
  BankImportPreviewInput: { format: 'csv', content: 'Buchungstag;Verwendungszweck;Betrag (EUR)\n03.03.2025;Abschlag März;-89,90\n' },
  BankImport: {
    id: '0193a4b2-8a11-7c2d-9e3f-1a2b3c4d5e61', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', accountNumberMasked: 'DE89 **** **** 3000', format: 'camt053', fileName: 'camt053-2025-03.xml',
    sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', imported: 1, duplicates: 3, skipped: 0, categorized: 0, closingBalance: '9084.5000', closingBalanceDate: '2025-03-31',
    transactions: [{
      id: '0193a4b2-8a12-7c2d-9e3f-1a2b3c4d5e62', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', importId: '0193a4b2-8a11-7c2d-9e3f-1a2b3c4d5e61', date: '2025-03-03',
      amount: '-89.9000', description: 'Abschlag März', reference: 'DA-77', bankId: '2025030300017', counterparty: 'Stadtwerke', status: 'unmatched', createdAt: at('03-04', '10:15:00'),
    }],
    createdAt: at('03-04', '10:15:00'),
  },
  BankImportSummary: {
    id: '0193a4b2-8a11-7c2d-9e3f-1a2b3c4d5e61', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', accountNumberMasked: 'DE89 **** **** 3000', format: 'camt053', fileName: 'camt053-2025.xml',
    sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', imported: 98450, duplicates: 1550, skipped: 0, categorized: 0, closingBalance: '48210.3300', closingBalanceDate: '2025-12-31',
    createdAt: at('03-04', '10:16:40'),
  },
  BankImportJob: {
    jobId: '0193a4b2-8a13-7c2d-9e3f-1a2b3c4d5e63', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', format: 'camt053', fileName: 'camt053-2025.xml',
    status: 'done', progress: 100, linesParsed: 100000, linesTotal: 100000, linesWritten: 98450,
    result: {
      id: '0193a4b2-8a11-7c2d-9e3f-1a2b3c4d5e61', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', accountNumberMasked: 'DE89 **** **** 3000', format: 'camt053', fileName: 'camt053-2025.xml',
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', imported: 98450, duplicates: 1550, skipped: 0, categorized: 0, closingBalance: '48210.3300', closingBalanceDate: '2025-12-31',
      createdAt: at('03-04', '10:16:40'),
    },
    createdAt: at('03-04', '10:15:00'), startedAt: at('03-04', '10:15:01'), finishedAt: at('03-04', '10:16:40'),
  },
  BankImportPreview: {
    format: 'csv',
    csv: { delimiter: ';', header: ['Buchungstag', 'Verwendungszweck', 'Betrag (EUR)'], rows: [{ line: 2, cells: ['03.03.2025', 'Abschlag März', '-89,90'] }] },
    mapping: { date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' },
    lines: [{ source: 'line 2', date: '2025-03-03', amount: '-89.9', description: 'Abschlag März', reference: null, bankId: null, counterparty: null, duplicate: true }],
    total: 1, duplicates: 1,
  },
  BankImportPreviewLine: { source: 'line 2', date: '2025-03-03', amount: '-89.9', description: 'Abschlag März', reference: null, bankId: null, counterparty: null, duplicate: false },
  // Bank reconciliation and transfers (server/contracts/bank-reconciliations.ts)
  CreateBankReconciliation: { bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', statementDate: '2025-03-31', statementEndingBalance: '9084.50' },
  UpdateBankReconciliation: { statementEndingBalance: '9048.50', version: 1 },
  BankReconciliation: {
    id: '0193a4b2-8a20-7c2d-9e3f-1a2b3c4d5e70', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', bankAccountName: 'Commerzbank current account', currency: 'EUR',
    statementDate: '2025-03-31', statementEndingBalance: '9084.50', openingBalance: '12500.00', clearedBalance: '9084.50', difference: '0.00',
    clearedDeposits: '1210.00', clearedPayments: '4625.50', clearedCount: 14, unmatchedCount: 0, status: 'completed',
    completedAt: at('04-02', '09:30:00'), completedBy: ids.user, version: 2, createdAt: at('04-02', '09:00:00'), updatedAt: at('04-02', '09:30:00'),
  },
  BankReconciliationReport: {
    reconciliation: {
      id: '0193a4b2-8a20-7c2d-9e3f-1a2b3c4d5e70', bankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', bankAccountName: 'Commerzbank current account', currency: 'EUR',
      statementDate: '2025-03-31', statementEndingBalance: '9084.50', openingBalance: '12500.00', clearedBalance: '9084.50', difference: '0.00',
      clearedDeposits: '1210.00', clearedPayments: '4625.50', clearedCount: 14, unmatchedCount: 0, status: 'completed',
      completedAt: at('04-02', '09:30:00'), completedBy: ids.user, version: 2, createdAt: at('04-02', '09:00:00'), updatedAt: at('04-02', '09:30:00'),
    },
    accountCode: '1010', accountName: 'Bank account', statementBalance: '9084.50',
    outstandingDeposits: { total: '0.00', lines: [] },
    outstandingPayments: { total: '250.00', lines: [{ date: '2025-03-29', description: 'Cheque 000117', reference: 'CHQ-117', amount: '-250.00', entryId: ids.entry, entryNumber: 42 }] },
    bankOnlyDeposits: { total: '0.00', lines: [] },
    bankOnlyPayments: { total: '0.00', lines: [] },
    adjustedBalance: '8834.50', glBalance: '8834.50', unexplained: '0.00', ties: true,
  },
  CreateTransfer: { fromBankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', toBankAccountId: '0193a4b2-8a13-7c2d-9e3f-1a2b3c4d5e63', date: '2025-03-12', amount: '920.00', toAmount: '1000.00', reference: 'FX-0312' },
  Transfer: {
    id: '0193a4b2-8a21-7c2d-9e3f-1a2b3c4d5e71', fromBankAccountId: '0193a4b2-8a10-7c2d-9e3f-1a2b3c4d5e60', toBankAccountId: '0193a4b2-8a13-7c2d-9e3f-1a2b3c4d5e63', date: '2025-03-12',
    amount: '920.00', fromCurrency: 'EUR', toAmount: '1000.00', toCurrency: 'USD', reference: 'FX-0312', entryId: ids.entry, createdAt: at('03-12', '14:00:00'),
  },
  ConfirmVendorBankAccount: { changeId: ids.bankChange },
  RevealedBankAccount: {
    vendorId: ids.vendor, bankAccount: { iban: 'DE89370400440532013000', accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
    pendingBankAccount: null,
  },
  // Bills (server/contracts/bills.ts): 3 × 40.00 of paper, input VAT 20% 24.00, total 144.00; approved by a second person
  CreateBill: {
    vendorId: ids.vendor, date: '2025-03-10', vendorReference: 'HOS-10422', amountsAre: 'exclusive',
    lines: [{ description: 'Printer paper, box of 5 reams', quantity: '3', unitPrice: '40.00', accountId: ids.supplies, taxRateId: ids.purchaseTaxRate }],
    submit: true,
  },
  UpdateBill: { dueDate: '2025-04-30', version: 1 },
  RejectBill: { reason: 'We ordered two boxes, not three' },
  VoidBill: { date: '2025-03-31' },
  BillAttachment: { id: ids.billAttachment, fileName: 'HOS-10422.pdf', mediaType: 'application/pdf', size: 48213, sha256: '9f2c1b6a3e4d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e', createdBy: ids.user, createdAt: at('03-10', '10:02:11') },
  BillSummary: billSummary,
  CreatePaymentRun: { date: '2025-04-08', paymentAccountId: ids.bank, dueOnOrBefore: '2025-04-15' },
  PaymentRunSummary: paymentRunSummary,
  PaymentRunItem: paymentRunItem,
  PaymentRun: {
    ...paymentRunSummary,
    items: [paymentRunItem],
    files: [
      { format: 'csv', fileName: 'PR-000007.csv', mediaType: 'text/csv', sha256: '3b8f0c1d2e4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344', size: 231 },
      { format: 'pain001', fileName: 'PR-000007.xml', mediaType: 'application/xml', sha256: '7c1e2d3f4a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9f0a1b2c3d4e5f', size: 1893 },
    ],
  },
  PayableBill: {
    id: ids.bill, number: 'BILL-000042', vendorReference: 'HOS-10422', vendor: { id: ids.vendor, name: 'Harbour Office Supplies' }, date: '2025-03-10', dueDate: '2025-04-09',
    currency: 'GBP', total: '144.00', amountDue: '144.00', vendorHasBankAccount: true,
  },
  Bill: {
    ...billSummary,
    submittedByName: 'Cody Clerk', approvedByName: 'Abe Approver', rejectedByName: null,
    lines: [{
      lineNo: 1, itemId: null, description: 'Printer paper, box of 5 reams', quantity: '3', unitPrice: '40.00', discountPercent: '0', accountId: ids.supplies, taxRateId: ids.purchaseTaxRate,
      amount: '120.00', net: '120.00', tax: '24.00', total: '144.00',
      taxes: [{ taxRateId: ids.purchaseTaxRate, position: 0, name: 'Input VAT 20%', rate: '20.0000', accountId: ids.inputTax, net: '120.00', tax: '24.00' }],
    }],
    taxBreakdown: [{ taxRateId: ids.purchaseTaxRate, rate: '20.0000', net: '120.00', tax: '24.00', components: [{ position: 0, name: 'Input VAT 20%', rate: '20.0000', accountId: ids.inputTax, net: '120.00', tax: '24.00' }] }],
    attachments: [{ id: ids.billAttachment, fileName: 'HOS-10422.pdf', mediaType: 'application/pdf', size: 48213, sha256: '9f2c1b6a3e4d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e', createdBy: ids.user, createdAt: at('03-10', '10:02:11') }],
  },
  // Invoices and credit notes (server/contracts/sales-documents.ts): 3 × 19.99 less 10% = 53.97, VAT 20% 10.79
  SalesDocumentLineInput: { itemId: ids.item, description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', taxRateId: ids.taxRate },
  CreateInvoice: {
    customerId: ids.customer, date: '2025-03-14', amountsAre: 'exclusive', reference: 'PO-7781',
    lines: [{ itemId: ids.item, description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', taxRateId: ids.taxRate }],
  },
  UpdateInvoice: { dueDate: '2025-04-30', version: 1 },
  CreateCreditNote: {
    customerId: ids.customer, date: '2025-03-20', amountsAre: 'exclusive', invoiceId: ids.invoice,
    lines: [{ description: 'Consulting, per hour (credited)', quantity: '1', unitPrice: '17.99', accountId: ids.sales, taxRateId: ids.taxRate }],
  },
  UpdateCreditNote: { memo: 'One hour credited', version: 1 },
  VoidInvoice: { date: '2025-03-31' },
  SalesDocumentLineTax: { taxRateId: ids.taxRate, position: 0, name: 'VAT standard rate', rate: '20.0000', accountId: ids.taxPayable, net: '53.97', tax: '10.79' },
  SalesDocumentLine: {
    lineNo: 1, itemId: ids.item, description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', accountId: ids.sales, taxRateId: ids.taxRate,
    amount: '53.97', net: '53.97', tax: '10.79', total: '64.76',
    taxes: [{ taxRateId: ids.taxRate, position: 0, name: 'VAT standard rate', rate: '20.0000', accountId: ids.taxPayable, net: '53.97', tax: '10.79' }],
  },
  SalesDocumentTaxBreakdown: {
    taxRateId: ids.taxRate, rate: '20.0000', net: '53.97', tax: '10.79',
    components: [{ position: 0, name: 'VAT standard rate', rate: '20.0000', accountId: ids.taxPayable, net: '53.97', tax: '10.79' }],
  },
  InvoiceSummary: invoiceSummary,
  Invoice: { ...invoiceSummary, lines: [invoiceLine], taxBreakdown: [invoiceTax] },
  CreditNoteSummary: creditNoteSummary,
  CreditNote: { ...creditNoteSummary, lines: [{ ...invoiceLine, itemId: null, description: 'Consulting, per hour (credited)', quantity: '1', unitPrice: '17.99', discountPercent: '0', amount: '17.99', net: '17.99', tax: '3.60', total: '21.59', taxes: [{ ...invoiceLine.taxes[0], net: '17.99', tax: '3.60' }] }], taxBreakdown: [{ ...invoiceTax, net: '17.99', tax: '3.60', components: [{ ...invoiceTax.components[0], net: '17.99', tax: '3.60' }] }] },
  // Receipts and allocations (server/contracts/receipts.ts)
  AllocationInput: { invoiceId: ids.invoice, amount: '43.17' },
  CreateReceipt: { customerId: ids.customer, date: '2025-03-25', amount: '100.00', depositAccountId: ids.cash, reference: 'BACS 552190', allocations: [{ invoiceId: ids.invoice, amount: '43.17' }] },
  Allocate: { invoiceId: ids.invoice, amount: '43.17' },
  VoidReceipt: { date: '2025-03-31' },
  Allocation: allocation,
  ReceiptSummary: receiptSummary,
  Receipt: { ...receiptSummary, allocations: [allocation] },
  // Bill payments and vendor credits (server/contracts/bill-payments.ts, vendor-credits.ts)
  BillAllocationInput: { billId: ids.bill, amount: '144.00' },
  CreateBillPayment: { vendorId: ids.vendor, date: '2025-03-28', amount: '200.00', paymentAccountId: ids.cash, reference: 'FPS 88120', allocations: [{ billId: ids.bill, amount: '144.00' }] },
  BillAllocate: { billId: ids.bill, amount: '48.00' },
  VoidBillPayment: { date: '2025-03-31' },
  BillAllocation: billAllocation,
  BillPaymentSummary: billPaymentSummary,
  BillPayment: { ...billPaymentSummary, allocations: [billAllocation] },
  CreateVendorCredit: {
    vendorId: ids.vendor, date: '2025-03-15', vendorReference: 'HOS-CN-118', amountsAre: 'exclusive', billId: ids.bill, issue: true,
    lines: [{ description: 'Printer paper returned, 1 box', quantity: '1', unitPrice: '40.00', accountId: ids.supplies, taxRateId: ids.purchaseTaxRate }],
  },
  UpdateVendorCredit: { memo: 'One box returned damaged', version: 1 },
  VoidVendorCredit: { date: '2025-03-31' },
  VendorCreditSummary: vendorCreditSummary,
  VendorCredit: {
    ...vendorCreditSummary,
    lines: [{
      lineNo: 1, itemId: null, description: 'Printer paper returned, 1 box', quantity: '1', unitPrice: '40.00', discountPercent: '0', accountId: ids.supplies, taxRateId: ids.purchaseTaxRate,
      amount: '40.00', net: '40.00', tax: '8.00', total: '48.00',
      taxes: [{ taxRateId: ids.purchaseTaxRate, position: 0, name: 'Input VAT 20%', rate: '20.0000', accountId: ids.inputTax, net: '40.00', tax: '8.00' }],
    }],
    taxBreakdown: [{ taxRateId: ids.purchaseTaxRate, rate: '20.0000', net: '40.00', tax: '8.00', components: [{ position: 0, name: 'Input VAT 20%', rate: '20.0000', accountId: ids.inputTax, net: '40.00', tax: '8.00' }] }],
    attachments: [],
    allocations: [],
  },
  UpdateSettings: { dateFormat: 'DD/MM/YYYY', negativeStyle: 'parentheses', version: 3 },
  // Recurring invoices (server/contracts/recurring-invoices.ts): monthly from 31 January, so 28 February, 31 March, 30 April …
  RecurringInvoiceTemplate: {
    amountsAre: 'exclusive', reference: 'Retainer',
    lines: [{ itemId: ids.item, description: 'Monthly support retainer', quantity: '1', unitPrice: '450.00', taxRateId: ids.taxRate }],
  },
  RecurringInvoiceTemplateResource: {
    amountsAre: 'exclusive', reference: 'Retainer',
    lines: [{ itemId: ids.item, description: 'Monthly support retainer', quantity: '1', unitPrice: '450.00', taxRateId: ids.taxRate }],
  },
  RecurringInvoiceTemplateLine: { itemId: ids.item, description: 'Monthly support retainer', quantity: '1', unitPrice: '450.00', taxRateId: ids.taxRate },
  CreateRecurringInvoice: {
    customerId: ids.customer, frequency: 'monthly', interval: 1, startDate: '2025-01-31', autoIssue: true, autoSend: true,
    template: { amountsAre: 'exclusive', reference: 'Retainer', lines: [{ itemId: ids.item, description: 'Monthly support retainer', quantity: '1', unitPrice: '450.00', taxRateId: ids.taxRate }] },
  },
  UpdateRecurringInvoice: { endDate: '2025-12-31', version: 1 },
  RecurringInvoice: {
    id: ids.schedule, customerId: ids.customer, customer: { id: ids.customer, name: 'Northwind Traders' },
    template: { amountsAre: 'exclusive', reference: 'Retainer', lines: [{ itemId: ids.item, description: 'Monthly support retainer', quantity: '1', unitPrice: '450.00', taxRateId: ids.taxRate }] },
    frequency: 'monthly', interval: 1, startDate: '2025-01-31', endDate: null, autoIssue: true, autoSend: true, isActive: true,
    nextDate: '2025-03-31', lastGeneratedDate: '2025-02-28', lastError: null, invoicesMade: 2, version: 1, createdAt: at('01-20'), updatedAt: at('02-28'),
  },
  PasswordResetConfirm: { token: 'pr_4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3', password: 'a longer passphrase for 2025' },
}

/** Answers whose schema has no name of its own. */
const responseExamples: Record<string, unknown> = {
  checkLiveness: { status: 'ok' },
  checkReadiness: { status: 'ready', checks: { database: 'ok', redis: 'ok' } },
  verifyAuditTrail: { ok: true, events: 1834 },
  listEvents: {
    data: [{
      id: '0193a4b2-7c1e-7d3f-9a2b-4c5d6e7f8a90', type: 'customer.created', occurredAt: '2025-03-14T09:30:00.000Z',
      data: { id: '0193a4b2-7c1d-7e2a-8b3c-5d6e7f8a9b0c', code: 'C-0001', name: 'Northwind Traders', balance: '0.00' },
    }],
    nextCursor: 'MTIzNDU2Ljc4OQ',
  },
  getOpenApiDocument: { openapi: '3.1.0', info: { title: 'Paksa Financial API', version: '1.0.0' }, paths: {} },
  markAllNotificationsRead: { updated: 3 },
  listNotifications: { data: [schemaExamples.Notification], page: 1, pageSize: 50, total: 1, unread: 1 },
  loginAdmin: { accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmOGE5YjBjMSJ9.c2lnbmF0dXJl', expiresIn: 900, admin: { id: ids.admin, email: 'ops@paksa.example', name: 'Platform Operations' } },
}

interface ZodInternals { _zod: { def: { type: string, shape?: Record<string, z.ZodType>, element?: z.ZodType, innerType?: z.ZodType, in?: z.ZodType, out?: z.ZodType, options?: z.ZodType[], values?: unknown[], entries?: Record<string, unknown>, defaultValue?: unknown } } }

/**
 * A value for `schema`, from the examples of the named schemas and fields it is made of; undefined
 * when some required part has none (the unit test reports that operation).
 */
export function exampleOf(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const meta = globalRegistry.get(schema) as { id?: string, examples?: unknown[] } | undefined
  if (meta?.id && meta.id in schemaExamples) return schemaExamples[meta.id]
  if (meta?.examples?.length) return meta.examples[0]
  const def = (schema as unknown as ZodInternals)._zod.def
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(def.shape!)) {
        const value = exampleOf(field, io)
        if (value !== undefined) out[key] = value
        else if (!isOptional(field)) return undefined
      }
      return out
    }
    case 'array': {
      const item = exampleOf(def.element!, io)
      return item === undefined ? undefined : [item]
    }
    case 'nullable': case 'optional': case 'readonly': case 'nonoptional': case 'catch': case 'prefault':
      return exampleOf(def.innerType!, io)
    case 'default':
      return exampleOf(def.innerType!, io) ?? def.defaultValue
    case 'pipe':
      return exampleOf(io === 'input' ? def.in! : def.out!, io)
    case 'union':
      // The first form (the general ledger: one account's, before every account's).
      return def.options?.length ? exampleOf(def.options[0]!, io) : undefined
    case 'literal':
      return def.values![0]
    case 'enum':
      return Object.values(def.entries!)[0]
    case 'record':
      return {}
    default:
      return undefined
  }
}

const isOptional = (schema: z.ZodType) => ['optional', 'default'].includes((schema as unknown as ZodInternals)._zod.def.type)

/** The request and response examples of one operation. */
export function operationExamples(c: Contract): { request?: unknown, response?: unknown } {
  return {
    request: c.body ? exampleOf(c.body, 'input') : undefined,
    response: c.operationId in responseExamples ? responseExamples[c.operationId] : c.response ? exampleOf(c.response, 'output') : undefined,
  }
}
