import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

type Json = Record<string, any>

/** Types into a Vuetify autocomplete and picks the option whose title matches. */
async function pick(page: Page, testid: string, text: string, option: RegExp) {
  await page.getByTestId(testid).locator('input').first().fill(text)
  await page.getByRole('option', { name: option }).first().click()
}

const invoiceRow = (page: Page, number: string) => page.getByTestId('receipt-invoice-row').filter({ hasText: number })

test.describe('sales: receipts', () => {
  let tenant: OwnTenant
  const invoices: Json[] = []

  // Set-up through the API: a customer and two issued invoices, the later-due one first, so the
  // form's "oldest due first" is seen to sort them.
  test.beforeAll(async () => {
    tenant = await createOwnTenant('receipts', 'Receipts Demo Ltd', 'Rita Receiver')
    const client = tenant.asOwner
    const accounts = (await client.get('/api/v1/accounts')).body.data as Json[]
    const services = accounts.find(a => a.code === '4100')!.id
    const customer = await client.post('/api/v1/customers', { json: { name: 'Northwind Traders', email: 'ap@northwind.example' } })
    expect(customer.status, customer.text).toBe(201)
    const issue = async (date: string, dueDate: string, price: string, description: string) => {
      const res = await client.post('/api/v1/invoices', {
        json: { customerId: customer.body.id, date, dueDate, amountsAre: 'exclusive', issue: true, lines: [{ description, quantity: '1', unitPrice: price, accountId: services }] },
      })
      expect(res.status, res.text).toBe(201)
      return res.body as Json
    }
    invoices.push(await issue('2026-10-01', '2026-11-15', '250.00', 'October retainer'))
    invoices.push(await issue('2026-10-05', '2026-10-20', '100.00', 'Workshop'))
  })

  test('records one receipt for two invoices with auto-allocate, oldest due first; both are paid and the rest is the customer\'s credit', async ({ page }, testInfo) => {
    const [retainer, workshop] = invoices as [Json, Json]
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // An empty list says what to do next.
    await page.getByTestId('nav-sales-receipts').click()
    await expect(page.getByRole('heading', { name: 'Receipts' })).toBeVisible()
    await expect(page.getByText('No receipts yet')).toBeVisible()
    await page.getByTestId('receipts-empty-new').click()
    await expect(page).toHaveURL(/\/sales\/receipts\/new$/)

    // The customer's open invoices, oldest due first: the workshop (due 20 Oct) before the retainer (due 15 Nov).
    await pick(page, 'receipt-customer', 'North', /Northwind Traders/)
    await expect(page.getByTestId('receipt-invoice-row')).toHaveCount(2)
    await expect(page.getByTestId('receipt-invoice-row').first()).toContainText(workshop.number)
    await expect(page.getByTestId('receipt-invoice-row').nth(1)).toContainText(retainer.number)
    await expect(page.getByTestId('receipt-account')).toContainText('1000 · Cash on hand')
    await page.getByTestId('receipt-account').locator('.v-field').click()
    await page.getByRole('option', { name: /1010 · Bank account/ }).click()

    // 300: the workshop's 100 in full, then 200 of the retainer's 250.
    await page.getByTestId('receipt-amount').fill('300')
    await page.getByTestId('receipt-auto-allocate').click()
    await expect(invoiceRow(page, workshop.number).locator('input')).toHaveValue('100.00')
    await expect(invoiceRow(page, retainer.number).locator('input')).toHaveValue('200.00')
    await expect(page.getByTestId('receipt-allocated')).toHaveText('300.00')
    await expect(page.getByTestId('receipt-unallocated')).toContainText('0.00')

    // More than is typed by hand is refused before it is sent.
    await invoiceRow(page, retainer.number).locator('input').fill('300')
    await expect(page.getByTestId('receipt-over-allocated')).toBeVisible()
    await expect(page.getByTestId('receipt-save')).toBeDisabled()

    // 400 pays both in full (Alt+A re-allocates) and leaves 50 as the customer's credit.
    await page.getByTestId('receipt-amount').fill('400')
    await page.keyboard.press('Alt+KeyA')
    await expect(invoiceRow(page, workshop.number).locator('input')).toHaveValue('100.00')
    await expect(invoiceRow(page, retainer.number).locator('input')).toHaveValue('250.00')
    await expect(page.getByTestId('receipt-unallocated')).toContainText('50.00')
    await page.getByTestId('receipt-reference').fill('BACS 7781')
    await screenshot(page, testInfo, 'receipts-form')
    await page.getByTestId('receipt-save').click()

    // The receipt: its number, its two allocations, 50.00 unallocated.
    await expect(page).toHaveURL(/\/sales\/receipts\/[0-9a-f-]{36}$/)
    await expect(page.getByTestId('receipt-number')).toHaveText('RCT-000001')
    await expect(page.getByTestId('receipt-allocation')).toHaveCount(2)
    await expect(page.getByTestId('receipt-allocated')).toHaveText('350.00')
    await expect(page.getByTestId('receipt-unallocated')).toHaveText('50.00')
    await expect(page.getByTestId('receipt-status')).toHaveText('Part allocated')
    await expect(page.getByTestId('receipt-journal-entry')).toBeVisible()
    await screenshot(page, testInfo, 'receipts-view')

    // Both invoices are paid.
    await page.getByTestId('receipt-allocation').filter({ hasText: workshop.number }).getByRole('link').click()
    await expect(page.getByTestId('doc-status')).toHaveText('Paid')
    await expect(page.getByTestId('doc-amount-due')).toHaveText('0.00')
    await page.getByTestId('nav-sales-invoices').click()
    for (const invoice of [retainer, workshop]) {
      await expect(page.getByTestId('invoice-row').filter({ hasText: invoice.number }).getByTestId('doc-status')).toHaveText('Paid')
    }

    // The list: amount, allocated, unallocated; "with unallocated credit" keeps it.
    await page.getByTestId('nav-sales-receipts').click()
    const row = page.getByTestId('receipt-row').filter({ hasText: 'RCT-000001' })
    await expect(row).toContainText('Northwind Traders')
    await expect(row).toContainText('BACS 7781')
    await expect(row).toContainText('400.00')
    await expect(row).toContainText('350.00')
    await expect(row).toContainText('50.00')
    await page.getByTestId('receipts-unallocated').locator('input').check()
    await expect(page).toHaveURL(/unallocated=true/)
    await expect(page.getByTestId('receipt-row')).toHaveCount(1)
    await screenshot(page, testInfo, 'receipts-list')

    // The credit pays a new invoice: "Allocate credit" on the receipt.
    const accounts = (await tenant.asOwner.get('/api/v1/accounts')).body.data as Json[]
    const extra = await tenant.asOwner.post('/api/v1/invoices', {
      json: { customerId: retainer.customerId, date: '2026-11-02', amountsAre: 'exclusive', issue: true, lines: [{ description: 'Extra hours', quantity: '1', unitPrice: '80.00', accountId: accounts.find(a => a.code === '4100')!.id }] },
    })
    expect(extra.status, extra.text).toBe(201)
    await row.click()
    await page.getByTestId('receipt-allocate').click()
    await expect(page.getByTestId('allocate-invoice')).toContainText(extra.body.number)
    await expect(page.getByTestId('allocate-amount')).toHaveValue('50.00')
    await page.getByTestId('allocate-save').click()
    await expect(page.getByTestId('receipt-allocation')).toHaveCount(3)
    await expect(page.getByTestId('receipt-unallocated')).toHaveText('0.00')
    await expect(page.getByTestId('receipt-status')).toHaveText('Allocated')
    await expect(page.getByTestId('receipt-allocate')).toHaveCount(0)
  })

  test('on a 390 px phone the list and the form fit the screen', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, '/sales/receipts'))
    await expect(page.getByTestId('receipt-row')).toHaveCount(1)
    await expect(page.getByTestId('receipt-row')).toContainText('Northwind Traders')
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'receipts-list-phone')

    // The form for the open invoice (the one issued by the last test is paid by now, so a fresh one).
    const accounts = (await tenant.asOwner.get('/api/v1/accounts')).body.data as Json[]
    const open = await tenant.asOwner.post('/api/v1/invoices', {
      json: { customerId: invoices[0]!.customerId, date: '2026-11-20', amountsAre: 'exclusive', issue: true, lines: [{ description: 'November support', quantity: '2', unitPrice: '60.00', accountId: accounts.find(a => a.code === '4100')!.id }] },
    })
    expect(open.status, open.text).toBe(201)
    await page.goto(tenantUrl(tenant.slug, `/sales/receipts/new?customerId=${open.body.customerId}&invoiceId=${open.body.id}`))
    await expect(page.getByTestId('receipt-amount')).toHaveValue('120.00')
    await expect(invoiceRow(page, open.body.number).locator('input')).toHaveValue('120.00')
    await expect(page.getByTestId('receipt-unallocated')).toContainText('0.00')
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'receipts-form-phone')
  })

  test('an issued credit note is applied to the customer\'s oldest open invoice from its page', async ({ page }) => {
    const accounts = (await tenant.asOwner.get('/api/v1/accounts')).body.data as Json[]
    const credit = await tenant.asOwner.post('/api/v1/credit-notes', {
      json: { customerId: invoices[0]!.customerId, date: '2026-11-25', amountsAre: 'exclusive', issue: true, lines: [{ description: 'Goodwill credit', quantity: '1', unitPrice: '30.00', accountId: accounts.find(a => a.code === '4100')!.id }] },
    })
    expect(credit.status, credit.text).toBe(201)
    // The oldest open invoice: the extra hours, 80.00 of which the receipt's credit paid 50.00.
    const open = (await tenant.asOwner.get(`/api/v1/invoices?customerId=${invoices[0]!.customerId}&status=partially_paid`)).body.data as Json[]
    expect(open.map(i => i.amountDue)).toEqual(['30.00'])

    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, `/sales/credit-notes/${credit.body.id}`))
    await page.getByTestId('credit-note-apply').click()
    await expect(page.getByTestId('allocate-invoice')).toContainText(open[0]!.number)
    await expect(page.getByTestId('allocate-amount')).toHaveValue('30.00')
    await page.getByTestId('allocate-save').click()
    await expect(page.getByTestId('doc-amount-due')).toHaveText('0.00')
    await expect(page.getByTestId('credit-note-apply')).toHaveCount(0)
    await page.goto(tenantUrl(tenant.slug, `/sales/invoices/${open[0]!.id}`))
    await expect(page.getByTestId('doc-status')).toHaveText('Paid')
  })
})
