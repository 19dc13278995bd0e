import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/** Chooses an option of a Vuetify select by the start of its title. */
async function choose(page: Page, testid: string, option: RegExp) {
  await page.getByTestId(testid).locator('.v-field').click()
  await page.getByRole('option', { name: option }).click()
}

test.describe('sales: tax rates, items and customers', () => {
  // Created in beforeAll: the global setup has run by then, not when the file is first loaded.
  let tenant: OwnTenant

  test.beforeAll(async () => {
    tenant = await createOwnTenant('sales', 'Sales Demo Ltd', 'Sam Seller')
  })

  test('an owner adds a tax rate, an item that uses it and a customer, then finds the customer on a phone', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // Tax rates: an empty list says what to do, then the new rate is listed with its account.
    await page.getByTestId('nav-sales-tax-rates').click()
    await expect(page.getByRole('heading', { name: 'Tax rates' })).toBeVisible()
    await expect(page.getByText('No tax rates yet')).toBeVisible()
    await page.getByTestId('tax-rates-add').click()
    await page.getByTestId('tax-rate-code').fill('VAT20')
    await page.getByTestId('tax-rate-name').fill('VAT standard rate')
    await page.getByTestId('tax-rate-rate').fill('20')
    await page.getByTestId('tax-rate-save').click()
    const rate = page.getByTestId('tax-rate-row').filter({ hasText: 'VAT20' })
    await expect(rate).toContainText('20%')
    await expect(rate).toContainText('2100')
    // A group: its rate is the sum of its components', shown as they are typed.
    await page.getByTestId('tax-rates-add').click()
    await page.getByTestId('tax-rate-code').fill('GST+PST')
    await page.getByTestId('tax-rate-name').fill('GST and PST')
    await page.getByTestId('tax-rate-add-component').click()
    await page.getByTestId('tax-rate-add-component').click()
    await page.getByTestId('tax-rate-component-name-0').fill('GST')
    await page.getByTestId('tax-rate-component-rate-0').fill('5')
    await page.getByTestId('tax-rate-component-name-1').fill('PST')
    await page.getByTestId('tax-rate-component-rate-1').fill('7.5')
    await expect(page.getByTestId('tax-rate-group-rate').locator('input')).toHaveValue('12.5%')
    await page.getByTestId('tax-rate-save').click()
    const group = page.getByTestId('tax-rate-row').filter({ hasText: 'GST+PST' })
    await expect(group).toContainText('GST 5% + PST 7.5%')
    await expect(group).toContainText('12.5%')
    await screenshot(page, testInfo, 'sales-tax-rates')

    // Items: a service with a price and the sales tax just added.
    await page.getByTestId('nav-sales-items').click()
    await expect(page.getByText('No items yet')).toBeVisible()
    await page.getByTestId('items-add').click()
    await page.getByTestId('item-code').fill('CONSULT')
    await page.getByTestId('item-name').fill('Consulting, per hour')
    await page.getByTestId('item-sales-price').fill('1,250.5')
    await choose(page, 'item-sales-tax', /^VAT20/)
    await page.getByTestId('item-save').click()
    const item = page.getByTestId('item-row').filter({ hasText: 'CONSULT' })
    await expect(item).toContainText('1,250.50')
    await expect(item).toContainText('VAT20')
    await screenshot(page, testInfo, 'sales-items')

    // Customers: added, then found by e-mail.
    await page.getByTestId('nav-sales-customers').click()
    await expect(page.getByText('No customers yet')).toBeVisible()
    for (const [name, email] of [['Northwind Traders', 'accounts@northwind.example'], ['Contoso Ltd', 'ap@contoso.example']] as const) {
      await page.getByTestId('customers-add').click()
      await page.getByTestId('customer-name').fill(name)
      await page.getByTestId('customer-email').fill(email)
      await page.getByTestId('customer-save').click()
      await expect(page.getByTestId('customer-row').filter({ hasText: name })).toBeVisible()
    }
    await page.getByTestId('customers-search').fill('northwind.example')
    await expect(page.getByTestId('customer-row')).toHaveCount(1)
    await expect(page.getByTestId('customer-row')).toContainText('Northwind Traders')
    await expect(page.getByTestId('customer-row')).toContainText('0.00')
    await screenshot(page, testInfo, 'sales-customers')

    // The list at 390 px: rows become the phone list, nothing scrolls sideways.
    await page.getByTestId('customers-search').fill('')
    await page.setViewportSize({ width: 390, height: 844 })
    await expect(page.getByTestId('customer-row')).toHaveCount(2)
    await expect(page.getByTestId('customer-row').filter({ hasText: 'Contoso Ltd' })).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'sales-customers-phone')
  })
})
