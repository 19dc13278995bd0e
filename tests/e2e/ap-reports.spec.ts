import { expect, test } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/*
 * Aged payables, the vendor page and the tax summary's purchases, on a desktop and on a 390 px
 * phone. Bills made through the API (USD; they post on submit below the threshold), as of 2026-03-15:
 *   Harbour  BILL 2026-01-05 due 01-15, 110.00 → 59 days (31–60); BILL 2026-02-01 due 03-03,
 *            200.00 + input VAT 20 % 40.00 = 240.00 → 12 days (1–30). Harbour: total 350.00
 *   Beta     BILL 2026-03-01 due 03-31, 1,000.00 → current
 *   Totals: current 1,000.00, 1–30 240.00, 31–60 110.00, total 1,350.00
 * Today (after 2026-06-29) all of it is over 90 days past due: the dashboard's payable and its
 * overdue are 1,350.00 each. Tax summary of Q1: purchase tax 40.00, no sales: net −40.00 (refundable).
 */
test.describe('aged payables and the vendor page', () => {
  let tenant: OwnTenant
  const ids: Record<string, string> = {}

  test.beforeAll(async () => {
    tenant = await createOwnTenant('apaging', 'Payables Ltd', 'Paula Payables')
    const c = tenant.asOwner
    const accounts = Object.fromEntries(((await c.get('/api/v1/accounts')).body.data as { code: string, id: string }[]).map(a => [a.code, a.id]))
    const made = async (path: string, json: Record<string, unknown>) => {
      const res = await c.post(path, { json })
      expect(res.status, res.text).toBe(201)
      return res.body.id as string
    }
    expect((await c.patch('/api/v1/settings', { json: { billApprovalThreshold: '100000' } })).status).toBe(200)
    const vat = await made('/api/v1/tax-rates', { code: 'IVAT20', name: 'Input VAT 20%', rate: '20', scope: 'purchases' })
    ids.harbour = await made('/api/v1/vendors', { name: 'Harbour Supplies' })
    ids.beta = await made('/api/v1/vendors', { name: 'Beta Freight' })
    const bill = (vendorId: string, date: string, dueDate: string, unitPrice: string, taxRateId: string | null = null) => made('/api/v1/bills', {
      vendorId, date, dueDate, vendorReference: `R-${date}`, amountsAre: 'exclusive', submit: true,
      lines: [{ description: 'Supplies', quantity: '1', unitPrice, accountId: accounts['6300'], taxRateId }],
    })
    ids.b1 = await bill(ids.harbour, '2026-01-05', '2026-01-15', '110.00')
    ids.b2 = await bill(ids.harbour, '2026-02-01', '2026-03-03', '200.00', vat)
    ids.b4 = await bill(ids.beta, '2026-03-01', '2026-03-31', '1000.00')
  })

  for (const size of [{ name: 'desktop', width: 1440, height: 900 }, { name: 'phone', width: 390, height: 844 }]) {
    test(`the aging shows the figures and drills to the vendor (${size.name})`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.goto(tenantUrl(tenant.slug, '/login'))
      await signIn(page, tenant.owner.email, tenant.owner.password)
      // The dashboard: everything is owed today (1,350.00), all of it past due; a bar opens the aging.
      await expect(page.getByTestId('kpi-payable-value')).toContainText('1,350.00')
      await expect(page.getByTestId('kpi-payable-overdue-value')).toContainText('1,350.00')
      await expect(page.getByTestId('dashboard-ap-aging-over90')).toContainText('1,350.00')
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ap-dashboard-${size.name}`)
      await page.getByTestId('dashboard-ap-aging-over90').click()
      await expect(page).toHaveURL(/\/reports\/ap-aging\?asOf=\d{4}-\d{2}-\d{2}/)
      await expect(page.getByTestId('aging-totals-over90')).toHaveText('1,350.00')

      await page.goto(tenantUrl(tenant.slug, '/reports/ap-aging?asOf=2026-03-15'))
      await expect(page.getByRole('heading', { name: 'Aged payables' })).toBeVisible()
      const harbour = page.getByTestId('aging-row').filter({ hasText: 'Harbour Supplies' })
      await expect(harbour.getByTestId('aging-days1to30')).toHaveText('240.00')
      await expect(harbour.getByTestId('aging-days31to60')).toHaveText('110.00')
      await expect(harbour.getByTestId('aging-total')).toHaveText('350.00')
      await expect(page.getByTestId('aging-row').filter({ hasText: 'Beta Freight' }).getByTestId('aging-current')).toHaveText('1,000.00')
      await expect(page.getByTestId('aging-totals-total')).toHaveText('1,350.00')
      await expect(page.getByTestId('export-pdf')).toBeVisible()
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ap-aging-${size.name}`)

      // Drill down: the vendor's page, its open bills on the same date and its statement.
      await harbour.getByTestId('aging-vendor').click()
      await expect(page).toHaveURL(new RegExp(`/purchases/vendors/${ids.harbour}\\?asOf=2026-03-15`))
      await expect(page.getByRole('heading', { name: 'Harbour Supplies' })).toBeVisible()
      await expect(page.getByTestId('vendor-document')).toHaveCount(2)
      await expect(page.getByTestId('vendor-open-total')).toHaveText('350.00')
      await expect(page.getByTestId('vendor-document').first()).toContainText('Bill')
      await expect(page.getByTestId('vendor-document').first().getByRole('link')).toHaveAttribute('href', `/purchases/bills/${ids.b1}`)
      await page.getByTestId('statement-from').fill('2026-02-01')
      await page.getByTestId('statement-from').blur()
      await page.getByTestId('statement-to').fill('2026-03-31')
      await page.getByTestId('statement-to').blur()
      await expect(page.getByTestId('statement-opening')).toHaveText('110.00')
      await expect(page.getByTestId('statement-row')).toHaveCount(1)
      await expect(page.getByTestId('statement-closing')).toHaveText('350.00')
      await expect(page.getByTestId('statement-file-pdf')).toHaveAttribute('href', new RegExp(`/api/v1/vendors/${ids.harbour}/statement\\?from=2026-02-01&to=2026-03-31&format=pdf$`))
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ap-vendor-${size.name}`)

      // The tax summary: the purchase tax and a net refundable.
      await page.goto(tenantUrl(tenant.slug, '/reports/tax-summary?from=2026-01-01&to=2026-03-31'))
      await expect(page.getByTestId('tax-row').filter({ hasText: 'IVAT20' })).toContainText('40.00')
      await expect(page.getByTestId('tax-total-purchases')).toHaveText('40.00')
      await expect(page.getByTestId('tax-net')).toHaveText('-40.00')
      await expect(page.getByTestId('tax-table')).toContainText('Net tax refundable')
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ap-tax-summary-${size.name}`)
    })
  }
})
