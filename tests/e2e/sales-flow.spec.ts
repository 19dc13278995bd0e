import { execFileSync } from 'node:child_process'
import { expect, test, type Download, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

type Json = Record<string, any>

/** Types into a Vuetify autocomplete and picks the option whose title matches. */
async function pick(page: Page, testid: string, text: string, option: RegExp) {
  await page.getByTestId(testid).locator('input').first().fill(text)
  await page.getByRole('option', { name: option }).first().click()
}

/**
 * Issue 12's flow, end to end in Chromium: a taxed invoice made in the editor and issued, its PDF
 * downloaded from the document view and its total read back, a partial receipt from "Record
 * payment", the rest in the aged receivables, the rest received, and the invoice paid in the list.
 */
test.describe('sales: invoice to cash', () => {
  let tenant: OwnTenant

  // The set-up through the API: a customer, a 20% tax rate and an item that carries it.
  test.beforeAll(async () => {
    tenant = await createOwnTenant('flow', 'Flow Trading Ltd', 'Fiona Flow')
    const client = tenant.asOwner
    const accounts = (await client.get('/api/v1/accounts')).body.data as Json[]
    const rate = await client.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'sales' } })
    expect(rate.status, rate.text).toBe(201)
    const item = await client.post('/api/v1/items', {
      json: { code: 'CONSULT', name: 'Consulting day', kind: 'service', salesPrice: '125.00', incomeAccountId: accounts.find(a => a.code === '4100')!.id, salesTaxRateId: rate.body.id },
    })
    expect(item.status, item.text).toBe(201)
    const customer = await client.post('/api/v1/customers', { json: { name: 'Fabrikam Inc', email: 'ap@fabrikam.example', paymentTermsDays: 30 } })
    expect(customer.status, customer.text).toBe(201)
  })

  test('invoice, PDF, part payment, the rest due, the rest paid', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // The editor: the customer, two consulting days at 125.00 with VAT 20% = 250.00 + 50.00 = 300.00.
    await page.getByTestId('nav-sales-invoices').click()
    await page.getByTestId('invoices-new').click()
    await pick(page, 'doc-customer', 'Fabri', /Fabrikam Inc/)
    await pick(page, 'doc-line-item-0', 'CONSULT', /CONSULT/)
    await page.getByTestId('doc-line-quantity-0').fill('2')
    await page.getByTestId('doc-line-quantity-0').blur()
    await expect(page.getByTestId('doc-subtotal')).toHaveText('250.00')
    await expect(page.getByTestId('doc-tax-rate')).toContainText('50.00')
    await expect(page.getByTestId('doc-total')).toHaveText('300.00')
    await page.getByTestId('doc-issue').click()

    // Issued: numbered, posted, 300.00 due.
    await expect(page).toHaveURL(/\/sales\/invoices\/[0-9a-f-]{36}$/)
    await expect(page.getByTestId('doc-number')).toHaveText('INV-000001')
    await expect(page.getByTestId('doc-status')).toHaveText('Issued')
    await expect(page.getByTestId('doc-amount-due')).toHaveText('300.00')

    // The PDF from the document view (a download, in a new tab), its total read back with pdftotext.
    const downloaded = new Promise<Download>((resolve) => {
      page.once('download', resolve)
      page.context().once('page', popup => popup.once('download', resolve))
    })
    await page.getByTestId('doc-pdf').click()
    const pdf = await downloaded
    expect(pdf.suggestedFilename()).toMatch(/INV-000001.*\.pdf$/)
    const text = execFileSync('pdftotext', ['-layout', (await pdf.path())!, '-'], { encoding: 'utf8' })
    expect(text).toContain('INV-000001')
    expect(text).toContain('Fabrikam Inc')
    expect(text).toMatch(/Total[^\n]*300\.00/)

    // "Record payment": the form comes filled for this invoice; 120.00 of it is received now.
    await page.getByTestId('doc-record-payment').click()
    await expect(page).toHaveURL(/\/sales\/receipts\/new\?/)
    await expect(page.getByTestId('receipt-amount')).toHaveValue('300.00')
    await page.getByTestId('receipt-amount').fill('120')
    await page.getByTestId('receipt-auto-allocate').click()
    await expect(page.getByTestId('receipt-invoice-row').locator('input')).toHaveValue('120.00')
    await expect(page.getByTestId('receipt-unallocated')).toContainText('0.00')
    await screenshot(page, testInfo, 'sales-flow-receipt-form')
    await page.getByTestId('receipt-save').click()
    await expect(page.getByTestId('receipt-number')).toHaveText('RCT-000001')
    await expect(page.getByTestId('receipt-allocated')).toHaveText('120.00')

    // What is left: the aged receivables show the customer's 180.00, not yet due.
    await page.getByTestId('nav-reports-ar-aging').click()
    const aging = page.getByTestId('aging-row').filter({ hasText: 'Fabrikam Inc' })
    await expect(aging.getByTestId('aging-current')).toHaveText('180.00')
    await expect(aging.getByTestId('aging-total')).toHaveText('180.00')
    await screenshot(page, testInfo, 'sales-flow-ar-aging')

    // The invoice is partly paid, 180.00 still due.
    await page.getByTestId('nav-sales-invoices').click()
    await page.getByTestId('invoice-row').filter({ hasText: 'INV-000001' }).click()
    await expect(page.getByTestId('doc-status')).toHaveText('Partially paid')
    await expect(page.getByTestId('doc-amount-paid')).toHaveText('120.00')
    await expect(page.getByTestId('doc-amount-due')).toHaveText('180.00')

    // The rest: "Record payment" offers exactly what is due.
    await page.getByTestId('doc-record-payment').click()
    await expect(page.getByTestId('receipt-amount')).toHaveValue('180.00')
    await expect(page.getByTestId('receipt-invoice-row').locator('input')).toHaveValue('180.00')
    await page.getByTestId('receipt-save').click()
    await expect(page.getByTestId('receipt-number')).toHaveText('RCT-000002')

    // Paid, in the invoice list.
    await page.getByTestId('nav-sales-invoices').click()
    const row = page.getByTestId('invoice-row').filter({ hasText: 'INV-000001' })
    await expect(row.getByTestId('doc-status')).toHaveText('Paid')
    await page.getByTestId('nav-sales-receipts').click()
    await expect(page.getByTestId('receipt-row')).toHaveCount(2)
    await screenshot(page, testInfo, 'sales-flow-receipts')
  })
})
