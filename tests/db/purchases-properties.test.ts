/**
 * The AP subledger's property test (issue 13 point 8: "Σ open bills − vendor prepayments (base) =
 * the AP control balance, the trial balance balances, numbers gapless"): bills (posted on submit,
 * the approval threshold set above every generated total), vendor credits, bill payments with
 * allocations in the body, later allocations of payments and credits, payment voids — racing through
 * the API; the run and the checks are tests/support/subledger-properties.ts, the same as receivables
 * with the signs of a liability. PURCHASES_PROPERTY_RUNS sets the number of runs.
 */
import { expect } from 'vitest'
import { describeSubledgerProperties } from '../support/subledger-properties'

describeSubledgerProperties({
  title: 'AP subledger',
  runsVariable: 'PURCHASES_PROPERTY_RUNS',
  // an AP clerk writes bills and credits (ap:write), an accountant pays (ap:pay)
  clerkRoles: ['ap_clerk', 'accountant'],
  partyPath: '/api/v1/vendors',
  partyField: 'vendorId',
  control: { code: '2000', sign: -1 },
  lineAccount: '6000',
  routes: { document: '/api/v1/bills', credit: '/api/v1/vendor-credits', payment: '/api/v1/bill-payments' },
  post: (kind, n) => (kind === 'document' ? { submit: true, vendorReference: `V-${n}` } : { issue: true }),
  targetField: 'billId',
  paymentAccountField: 'paymentAccountId',
  paymentAccount: '1010',
  tables: { documents: 'bills', payments: 'bill_payments', allocations: 'purchase_allocations' },
  kinds: { document: 'bill', credit: 'vendor_credit' },
  columns: { allocDocument: 'bill_id', allocCredit: 'vendor_credit_id', allocPayment: 'payment_id', baseDocument: 'base_amount_bill' },
  unpaidStatus: 'open',
  refusals: ['ALLOCATION_EXCEEDS_DUE', 'ALLOCATION_EXCEEDS_AVAILABLE', 'ALLOCATION_BILL_NOT_OPEN', 'ALLOCATION_SOURCE_NOT_OPEN', 'ALLOCATION_INVALID', 'BILL_PAYMENT_NOT_ACTIVE'],
  paymentNotActive: 'BILL_PAYMENT_NOT_ACTIVE',
  setup: async (t) => {
    const res = await t.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '1000000.00' } })
    expect(res.status, res.text).toBe(200)
  },
  partyBalances: false,
})
