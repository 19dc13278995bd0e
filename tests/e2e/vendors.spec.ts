import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant, join, type OwnTenant, type Person } from './support/tenants'

async function openVendor(page: Page, name: string) {
  await page.getByTestId('nav-purchases-vendors').click()
  await expect(page.getByRole('heading', { name: 'Vendors' })).toBeVisible()
  await page.getByTestId('vendors-table').getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { name })).toBeVisible()
}

test.describe('purchases: vendors', () => {
  let tenant: OwnTenant
  let clerk: Person
  let approver: Person

  test.beforeAll(async () => {
    tenant = await createOwnTenant('vendors', 'Vendor Demo Ltd', 'Val Owner')
    clerk = await join(tenant, 'Clara Clerk', ['ap_clerk'])
    approver = await join(tenant, 'Ada Approver', ['accountant'])
  })

  test('an AP clerk enters a vendor with its IBAN, which waits masked until an accountant confirms it and reveals it', async ({ page, browser }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, clerk.email, clerk.password)
    await page.getByTestId('nav-purchases-vendors').click()
    await expect(page.getByText('No vendors yet')).toBeVisible()
    await page.getByTestId('vendors-add').click()
    await page.getByTestId('vendor-name').fill('Harbour Office Supplies')
    await page.getByTestId('vendor-email').fill('accounts@harbour.example')
    await page.getByTestId('vendor-iban').fill('DE89 3704 0044 0532 0130 01')
    await page.getByTestId('vendor-save').click()
    await expect(page.getByText('Must be an IBAN with valid check digits', { exact: false })).toBeVisible()
    await page.getByTestId('vendor-iban').fill('DE89 3704 0044 0532 0130 00')
    await page.getByTestId('vendor-bic').fill('COBADEFFXXX')
    await page.getByTestId('vendor-bank-name').fill('Commerzbank')
    await page.getByTestId('vendor-save').click()
    await expect(page.getByTestId('vendor-pending-chip')).toBeVisible()

    await openVendor(page, 'Harbour Office Supplies')
    const pending = page.getByTestId('vendor-bank-pending')
    await expect(pending).toContainText('DE89 **** **** 3000')
    await expect(pending).toContainText('by you')
    await expect(page.getByTestId('vendor-bank-none')).toBeVisible()
    await expect(page.getByTestId('vendor-bank-confirm')).toHaveCount(0)
    await expect(page.getByTestId('vendor-bank-reveal')).toHaveCount(0)
    await expect(page.locator('body')).not.toContainText('370400440532013000')
    await screenshot(page, testInfo, 'vendor-pending-clerk')

    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' })
    const other = await context.newPage()
    await other.setViewportSize({ width: 1280, height: 900 })
    await other.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(other, approver.email, approver.password)
    await openVendor(other, 'Harbour Office Supplies')
    await other.getByTestId('vendor-bank-confirm').click()
    await expect(other.getByText('The new bank account of Harbour Office Supplies is confirmed.')).toBeVisible()
    const confirmed = other.getByTestId('vendor-bank-confirmed')
    await expect(confirmed).toContainText('DE89 **** **** 3000')
    await expect(confirmed).toContainText('COBADEFFXXX')
    await expect(other.getByTestId('vendor-bank-pending')).toHaveCount(0)
    await other.getByTestId('vendor-bank-reveal').click()
    await expect(confirmed).toContainText('DE89 3704 0044 0532 0130 00')
    await expect(other.getByTestId('vendor-bank-revealed-note')).toContainText('recorded in the audit log')
    await screenshot(other, testInfo, 'vendor-confirmed-revealed')
    await other.getByTestId('vendor-bank-reveal').click()
    await expect(confirmed).toContainText('DE89 **** **** 3000')
    await context.close()
  })
})
