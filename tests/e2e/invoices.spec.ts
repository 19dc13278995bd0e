import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/** Types into the focused field and presses Enter (the editor's "next cell"). */
async function typeEnter(page: Page, text: string) {
  if (text) await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

const field = (page: Page, testid: string) => page.getByTestId(testid).locator('input').or(page.locator(`input[data-testid="${testid}"]`)).first()

test.describe('sales: invoices', () => {
  // Created in beforeAll: the global setup has run by then, not when the file is first loaded.
  let tenant: OwnTenant
  let customerId: string
  let itemId: string

  test.beforeAll(async () => {
    tenant = await createOwnTenant('invoices', 'Invoice Demo Ltd', 'Ivy Invoicer')
    const api = tenant.asOwner
    const accounts = (await api.get('/api/v1/accounts')).body.data as { id: string, code: string }[]
    const income = accounts.find(a => a.code === '4100')!.id
    const vat = await api.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT standard', rate: '20', scope: 'sales' } })
    expect(vat.status, vat.text).toBe(201)
    const item = await api.post('/api/v1/items', { json: { code: 'CONSULT', name: 'Consulting, per hour', kind: 'service', salesPrice: '150.00', incomeAccountId: income, salesTaxRateId: vat.body.id } })
    expect(item.status, item.text).toBe(201)
    itemId = item.body.id
    const customer = await api.post('/api/v1/customers', { json: { name: 'Northwind Traders', email: 'accounts@northwind.example', paymentTermsDays: 14 } })
    expect(customer.status, customer.text).toBe(201)
    customerId = customer.body.id
  })

  test('an invoice typed from the keyboard shows the hand-worked totals, is issued, listed and voided', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // The empty list says what to do next: there is a customer, so "create your first invoice".
    await page.getByTestId('nav-sales-invoices').click()
    await expect(page.getByRole('heading', { name: 'Invoices' })).toBeVisible()
    await expect(page.getByText('Create your first invoice')).toBeVisible()
    await page.getByTestId('invoices-new').click()
    await expect(page.getByTestId('invoice-editor')).toBeVisible()

    // The customer: typed, Enter takes the first match; its 14 days' terms give the due date.
    const customer = field(page, 'doc-customer')
    await customer.click()
    await page.keyboard.type('North')
    await expect(page.getByRole('option', { name: 'Northwind Traders' })).toBeVisible()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('doc-due-date')).not.toHaveValue('')
    await expect(page.getByText('14 days\' terms')).toBeVisible()

    // Line 1 from the item: Enter moves item → description → qty → price → discount → account → tax.
    await field(page, 'doc-line-item-0').click()
    await page.keyboard.type('CONS')
    await expect(page.getByRole('option', { name: /CONSULT/ })).toBeVisible()
    await typeEnter(page, '')
    await expect(page.getByTestId('doc-line-description-0')).toHaveValue('Consulting, per hour')
    await expect(page.getByTestId('doc-line-price-0')).toHaveValue('150.00')
    await expect(page.getByTestId('doc-line-description-0')).toBeFocused()
    await typeEnter(page, '') // description as the item gave it
    await typeEnter(page, '3') // quantity (the default 1 is selected, so typing replaces it)
    await typeEnter(page, '') // price from the item
    await typeEnter(page, '10') // discount %
    await typeEnter(page, '') // account from the item
    await typeEnter(page, '') // tax from the item; Enter on the last cell adds a line
    await expect(page.getByTestId('doc-line')).toHaveCount(2)
    // Line 2 without an item: description, quantity, price, the account and the tax by typing.
    await typeEnter(page, '')
    await typeEnter(page, 'Travel to site')
    await typeEnter(page, '2')
    await typeEnter(page, '45.5')
    await typeEnter(page, '')
    await page.keyboard.type('4100')
    await expect(page.getByRole('option', { name: /Service revenue/ })).toBeVisible()
    await typeEnter(page, '')
    await page.keyboard.type('VAT')
    await expect(page.getByRole('option', { name: /VAT20/ })).toBeVisible()
    await page.keyboard.press('Enter')

    // By hand: 3 × 150.00 × (1 − 10%) = 405.00, VAT 81.00; 2 × 45.50 = 91.00, VAT 18.20;
    // subtotal 496.00, tax 99.20, total 595.20.
    await expect(page.getByTestId('doc-line-amount-0')).toHaveText('405.00')
    await expect(page.getByTestId('doc-line-amount-1')).toHaveText('91.00')
    await expect(page.getByTestId('doc-subtotal')).toHaveText('496.00')
    await expect(page.getByTestId('doc-tax-rate')).toContainText('VAT standard (20%)')
    await expect(page.getByTestId('doc-tax-rate')).toContainText('99.20')
    await expect(page.getByTestId('doc-total')).toHaveText('595.20')
    await screenshot(page, testInfo, 'invoice-editor')

    // Issue: the document page shows its number, status and the figures the server stored.
    await page.getByTestId('doc-issue').click()
    await expect(page).toHaveURL(/\/sales\/invoices\/[0-9a-f-]{36}$/)
    await expect(page.getByTestId('doc-number')).toHaveText(/^INV-?\d+$/)
    const number = (await page.getByTestId('doc-number').textContent())!.trim()
    await expect(page.getByTestId('doc-status')).toHaveText('Issued')
    await expect(page.getByTestId('doc-view-line')).toHaveCount(2)
    await expect(page.getByTestId('doc-total')).toHaveText('595.20')
    await expect(page.getByTestId('doc-amount-due')).toHaveText('595.20')
    await expect(page.getByTestId('doc-record-payment')).toHaveAttribute('href', /\/sales\/receipts\/new\?customerId=[0-9a-f-]{36}&invoiceId=[0-9a-f-]{36}/)
    await expect(page.getByTestId('doc-journal-entry')).toBeVisible()
    await screenshot(page, testInfo, 'invoice-view')

    // The list: its number, status, total and amount due, and the totals of the rows shown.
    await page.getByTestId('nav-sales-invoices').click()
    const row = page.getByTestId('invoice-row').filter({ hasText: number })
    await expect(row).toContainText('Northwind Traders')
    await expect(row).toContainText('Issued')
    await expect(row.locator('td').nth(5)).toHaveText('595.20')
    await expect(row.locator('td').nth(6)).toHaveText('595.20')
    await expect(page.getByTestId('doc-list-totals')).toContainText('595.20')
    await screenshot(page, testInfo, 'invoice-list')

    // The phone list: one compact row, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 })
    await expect(page.getByTestId('invoice-row')).toHaveCount(1)
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'invoice-list-phone')

    // The document on a phone, then void it there: dated, confirmed, shown as void.
    await page.getByTestId('invoice-row').click()
    await expect(page.getByTestId('doc-number')).toHaveText(number)
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'invoice-view-phone')
    await page.getByTestId('doc-more').click() // phones keep Void under "more"
    await page.getByTestId('doc-void').click()
    await expect(page.getByTestId('doc-void-dialog')).toBeVisible()
    await page.getByTestId('doc-void-accept').click()
    await expect(page.getByTestId('doc-void-dialog')).toBeHidden()
    await expect(page.getByTestId('doc-status')).toHaveText('Void')
    await expect(page.getByTestId('doc-amount-due')).toHaveText('0.00')
    await expect(page.getByTestId('doc-void')).toHaveCount(0)

    await page.getByTestId('doc-back').click()
    await expect(page.getByTestId('invoice-row').filter({ hasText: number })).toContainText('Void')

    // The editor on a phone: each line a small card, the totals under it, nothing sideways.
    await page.goto(tenantUrl(tenant.slug, '/sales/invoices/new'))
    await field(page, 'doc-line-item-0').click()
    await page.keyboard.type('CONS')
    await expect(page.getByRole('option', { name: /CONSULT/ })).toBeVisible()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('doc-total')).toHaveText('180.00')
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'invoice-editor-phone')

    // Leaving with a line typed asks first.
    await page.getByRole('link', { name: 'Cancel' }).click()
    await expect(page.getByTestId('doc-leave-dialog')).toBeVisible()
    await page.getByTestId('doc-leave-accept').click()
    await expect(page).toHaveURL(/\/sales\/invoices$/)
  })

  test('a credit note started from an issued invoice names it and credits the customer', async ({ page }, testInfo) => {
    const today = new Date().toISOString().slice(0, 10)
    const invoice = await tenant.asOwner.post('/api/v1/invoices', { json: {
      customerId, date: today, amountsAre: 'exclusive', issue: true,
      lines: [{ itemId, description: 'Consulting, per hour', quantity: '2', unitPrice: '150.00' }],
    } })
    expect(invoice.status, invoice.text).toBe(201)

    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, `/sales/invoices/${invoice.body.id}`))
    await page.getByTestId('doc-credit').click()
    await expect(page.getByTestId('credit-note-editor')).toBeVisible()
    // The customer and the invoice come with the link.
    await expect(page.getByTestId('doc-customer')).toContainText('Northwind Traders')
    await expect(page.getByTestId('doc-invoice')).toContainText(invoice.body.number)

    // One hour credited: 150.00 + VAT 30.00 = 180.00.
    await field(page, 'doc-line-item-0').click()
    await page.keyboard.type('CONS')
    await expect(page.getByRole('option', { name: /CONSULT/ })).toBeVisible()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('doc-total')).toHaveText('180.00')
    // Saved as a draft first, then edited and issued from the editor.
    await page.getByTestId('doc-save').click()
    await expect(page.getByTestId('doc-status')).toHaveText('Draft')
    await expect(page.getByTestId('doc-number')).toHaveText('Given when issued')
    await page.getByTestId('doc-edit').click()
    await expect(page.getByTestId('doc-line-description-0')).toHaveValue('Consulting, per hour')
    await expect(page.getByTestId('doc-invoice')).toContainText(invoice.body.number)
    await page.getByTestId('doc-issue').click()

    await expect(page).toHaveURL(/\/sales\/credit-notes\/[0-9a-f-]{36}$/)
    await expect(page.getByTestId('doc-number')).toHaveText(/^CN-?\d+$/)
    await expect(page.getByTestId('doc-status')).toHaveText('Issued')
    await expect(page.getByTestId('doc-original-invoice')).toHaveText(invoice.body.number)
    await expect(page.getByTestId('doc-total')).toHaveText('180.00')
    await screenshot(page, testInfo, 'credit-note-view')

    await page.getByTestId('nav-sales-credit-notes').click()
    await expect(page.getByTestId('credit-note-row')).toHaveCount(1)
    await expect(page.getByTestId('credit-note-row')).toContainText('180.00')
    await screenshot(page, testInfo, 'credit-note-list')
  })
})
