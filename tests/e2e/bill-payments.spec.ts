import { expect, test } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/**
 * Paying bills (issue 13 point 3): a part payment recorded from a bill's "Record payment" leaves
 * the bill partially paid; a vendor credit applied to the bill from the credit's page takes more
 * off what is owed. The payment page fits a phone.
 */
test.describe('purchases: bill payments and vendor credits', () => {
  let tenant: OwnTenant
  let billId: string
  let creditId: string

  test.beforeAll(async () => {
    tenant = await createOwnTenant('billpay', 'Payables Demo Ltd', 'Pat Owner')
    const api = tenant.asOwner
    // Within the threshold a bill posts on submit: this test is about paying, not approving.
    const settings = (await api.get('/api/v1/settings')).body
    const raised = await api.patch('/api/v1/settings', { json: { billApprovalThreshold: '100000.00', version: settings.version } })
    expect(raised.status, raised.text).toBe(200)
    const vendor = await api.post('/api/v1/vendors', { json: { name: 'Harbour Office Supplies', paymentTermsDays: 30 } })
    expect(vendor.status, vendor.text).toBe(201)
    const accounts = (await api.get('/api/v1/accounts?pageSize=200')).body.data as { id: string, type: string, isActive: boolean, isParent: boolean, isControl: boolean }[]
    const expense = accounts.find(a => a.type === 'expense' && a.isActive && !a.isParent && !a.isControl)!
    const line = { description: 'Printer paper, 40 boxes', quantity: '40', unitPrice: '12.50', accountId: expense.id }
    const bill = await api.post('/api/v1/bills', { json: { vendorId: vendor.body.id, vendorReference: 'HOS-2041', date: '2026-11-02', amountsAre: 'exclusive', lines: [line], submit: true } })
    expect(bill.status, bill.text).toBe(201)
    expect(bill.body.status).toBe('open')
    billId = bill.body.id
    const credit = await api.post('/api/v1/vendor-credits', { json: { vendorId: vendor.body.id, vendorReference: 'CN-77', date: '2026-11-05', amountsAre: 'exclusive', billId, lines: [{ ...line, description: 'Two damaged boxes', quantity: '2' }], issue: true } })
    expect(credit.status, credit.text).toBe(201)
    creditId = credit.body.id
  })

  test('a part payment from the bill leaves it partially paid; a vendor credit applied to it takes 25.00 more off', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, `/purchases/bills/${billId}`))
    await expect(page.getByTestId('bill-status')).toContainText(/open/i)
    await page.getByTestId('bill-record-payment').click()

    // The form comes filled for the bill: its vendor, the whole 500.00 allocated to it.
    await expect(page.getByTestId('payment-form')).toBeVisible()
    await expect(page.getByTestId('payment-amount')).toHaveValue('500.00')
    await expect(page.getByTestId('payment-bill-row')).toHaveCount(1)
    await page.getByTestId('payment-amount').fill('200')
    await page.getByTestId(`payment-allocate-${billId}`).fill('200')
    await page.getByTestId('payment-reference').click()
    await expect(page.getByTestId('payment-allocated')).toHaveText('200.00')
    await expect(page.getByTestId('payment-unallocated')).toContainText('0.00')
    await screenshot(page, testInfo, 'bill-payment-form')
    await page.getByTestId('payment-save').click()

    await expect(page.getByText(/Payment PAY-\d{6} recorded\./)).toBeVisible()
    await expect(page.getByTestId('payment-number')).toContainText(/PAY-\d{6}/)
    await expect(page.getByTestId('payment-allocation')).toHaveCount(1)
    await expect(page.getByTestId('payment-allocation')).toContainText('BILL-')
    await expect(page.getByTestId('payment-allocated')).toHaveText('200.00')
    await screenshot(page, testInfo, 'bill-payment')

    await page.getByTestId('payment-allocation').getByRole('link').click()
    await expect(page.getByTestId('bill-status')).toContainText(/partially paid/i)
    await expect(page.getByTestId('doc-amount-due')).toContainText('300.00')

    // The vendor credit (2 × 12.50 = 25.00) applied to the bill from its own page.
    await page.goto(tenantUrl(tenant.slug, `/purchases/vendor-credits/${creditId}`))
    await expect(page.getByTestId('vendor-credit-number')).toContainText(/VC-\d{6}/)
    await page.getByTestId('vendor-credit-apply').click()
    await expect(page.getByTestId('allocate-amount')).toHaveValue('25.00')
    await page.getByTestId('allocate-save').click()
    await expect(page.getByTestId('vendor-credit-allocation')).toHaveCount(1)
    await expect(page.getByTestId('vendor-credit-apply')).toHaveCount(0)
    await page.goto(tenantUrl(tenant.slug, `/purchases/bills/${billId}`))
    await expect(page.getByTestId('doc-amount-due')).toContainText('275.00')

    // The payments list and a payment on a phone: nothing wider than the screen.
    await page.goto(tenantUrl(tenant.slug, '/purchases/payments'))
    await expect(page.getByTestId('payment-row')).toHaveCount(1)
    await page.getByTestId('payment-row').click()
    await page.setViewportSize({ width: 390, height: 844 })
    await expect(page.getByTestId('payment-allocation')).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'bill-payment-phone')
  })
})
