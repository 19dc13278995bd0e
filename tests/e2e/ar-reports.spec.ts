import { expect, test } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/*
 * Aged receivables and the customer page, on a desktop and on a 390 px phone. Books made through
 * the API (USD, no tax), as of 2026-03-15:
 *   Acme  INV 2026-01-05 due 01-15, 110.00, 60.00 paid by a receipt of 100.00 on 02-20 → 50.00
 *         open, 59 days (31–60); INV 2026-02-01 due 03-03, 224.00 → 12 days (1–30); the
 *         receipt's other 40.00 unallocated → −40.00 (23 days, 1–30). Acme: 1–30 184.00,
 *         31–60 50.00, total 234.00
 *   Beta  INV 2026-03-01 due 03-31, 1,000.00 → current
 *   Totals: current 1,000.00, 1–30 184.00, 31–60 50.00, total 1,234.00
 * Today (after 2026-06-29) all of it is over 90 days past due: the dashboard's receivable and overdue
 * are 1,234.00 each.
 */
test.describe('aged receivables and the customer page', () => {
  let tenant: OwnTenant
  const ids: Record<string, string> = {}

  test.beforeAll(async () => {
    tenant = await createOwnTenant('araging', 'Aging Ltd', 'Ada Aging')
    const c = tenant.asOwner
    const accounts = Object.fromEntries(((await c.get('/api/v1/accounts')).body.data as { code: string, id: string }[]).map(a => [a.code, a.id]))
    const made = async (path: string, json: Record<string, unknown>) => {
      const res = await c.post(path, { json })
      expect(res.status, res.text).toBe(201)
      return res.body.id as string
    }
    ids.acme = await made('/api/v1/customers', { name: 'Acme Ltd' })
    ids.beta = await made('/api/v1/customers', { name: 'Beta Corp' })
    const invoice = (customerId: string, date: string, dueDate: string, unitPrice: string) => made('/api/v1/invoices', {
      customerId, date, dueDate, amountsAre: 'exclusive', issue: true, lines: [{ description: 'Work', quantity: '1', unitPrice, accountId: accounts['4100'] }],
    })
    ids.inv1 = await invoice(ids.acme, '2026-01-05', '2026-01-15', '110.00')
    ids.inv2 = await invoice(ids.acme, '2026-02-01', '2026-03-03', '224.00')
    ids.inv4 = await invoice(ids.beta, '2026-03-01', '2026-03-31', '1000.00')
    await made('/api/v1/receipts', { customerId: ids.acme, date: '2026-02-20', amount: '100.00', depositAccountId: accounts['1010'], allocations: [{ invoiceId: ids.inv1, amount: '60.00' }] })
  })

  for (const size of [{ name: 'desktop', width: 1280, height: 800 }, { name: 'phone', width: 390, height: 844 }]) {
    test(`the aging shows the figures and drills to the customer (${size.name})`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.goto(tenantUrl(tenant.slug, '/login'))
      await signIn(page, tenant.owner.email, tenant.owner.password)
      // The dashboard: everything is owed today (1,234.00), all of it past due; a bar opens the aging.
      await expect(page.getByTestId('kpi-receivable-value')).toContainText('1,234.00')
      await expect(page.getByTestId('kpi-overdue-value')).toContainText('1,234.00')
      await expect(page.getByTestId('dashboard-aging-over90')).toContainText('1,234.00')
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ar-dashboard-${size.name}`)
      await page.getByTestId('dashboard-aging-over90').click()
      await expect(page).toHaveURL(/\/reports\/ar-aging\?asOf=\d{4}-\d{2}-\d{2}/)
      await expect(page.getByTestId('aging-totals-over90')).toHaveText('1,234.00')
      await page.goto(tenantUrl(tenant.slug, '/reports/ar-aging?asOf=2026-03-15'))
      await expect(page.getByRole('heading', { name: 'Aged receivables' })).toBeVisible()
      const acme = page.getByTestId('aging-row').filter({ hasText: 'Acme Ltd' })
      await expect(acme.getByTestId('aging-days1to30')).toHaveText('184.00')
      await expect(acme.getByTestId('aging-days31to60')).toHaveText('50.00')
      await expect(acme.getByTestId('aging-total')).toHaveText('234.00')
      await expect(page.getByTestId('aging-row').filter({ hasText: 'Beta Corp' }).getByTestId('aging-current')).toHaveText('1,000.00')
      await expect(page.getByTestId('aging-totals-total')).toHaveText('1,234.00')
      await expect(page.getByTestId('aging-totals-current')).toHaveText('1,000.00')
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ar-aging-${size.name}`)

      // Drill down: the customer's page, its open documents on the same date and its statement.
      await acme.getByTestId('aging-customer').click()
      await expect(page).toHaveURL(new RegExp(`/sales/customers/${ids.acme}`))
      await expect(page.getByRole('heading', { name: 'Acme Ltd' })).toBeVisible()
      await expect(page.getByTestId('customer-document')).toHaveCount(3)
      await expect(page.getByTestId('customer-open-total')).toHaveText('234.00')
      await expect(page.getByTestId('customer-document').first()).toContainText('Invoice')
      await expect(page.getByTestId('customer-document').first().getByRole('link')).toHaveAttribute('href', `/sales/invoices/${ids.inv1}`)
      // Today's balance: 110 + 224 − 100 = 234.00
      await expect(page.getByTestId('customer-balance')).toContainText('234.00')
      await page.getByTestId('statement-from').fill('2026-02-01')
      await page.getByTestId('statement-from').blur()
      await page.getByTestId('statement-to').fill('2026-03-31')
      await page.getByTestId('statement-to').blur()
      await expect(page.getByTestId('statement-opening')).toHaveText('110.00')
      await expect(page.getByTestId('statement-row')).toHaveCount(2)
      await expect(page.getByTestId('statement-closing')).toHaveText('234.00')
      await expect(page.getByTestId('statement-file-pdf')).toHaveAttribute('href', /\/statement\?from=2026-02-01&to=2026-03-31&format=pdf$/)
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, `ar-customer-${size.name}`)
    })
  }
})
