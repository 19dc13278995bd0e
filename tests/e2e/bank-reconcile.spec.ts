import { resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

type Json = Record<string, any>

const EUROPEAN_CSV = resolve(import.meta.dirname, '../fixtures/bank/european.csv')

/** The reconciliation's line with this text, in the list on the left. */
const line = (page: Page, text: string) => page.getByTestId('reconcile-line').filter({ hasText: text })

/** Categorises the selected line from the keyboard: c, the account by its code, Enter. */
async function categorise(page: Page, code: string, saveAsRule = false) {
  await page.keyboard.press('c')
  await expect(page.getByTestId('bank-categorize-dialog')).toBeVisible()
  await page.getByTestId('bank-categorize-account').fill(code)
  await page.getByRole('option', { name: new RegExp(code) }).first().click()
  if (saveAsRule) await page.getByTestId('bank-categorize-save-rule').locator('input').check()
  await page.getByTestId('bank-categorize-save').click()
  await expect(page.getByTestId('bank-categorize-dialog')).toBeHidden()
}

test.describe('banking: reconciling a statement', () => {
  let tenant: OwnTenant
  let receipt: Json

  // Set-up through the API: the bank account, and a customer's receipt of 1,234.56 into it (the
  // money the statement's first line brings in).
  test.beforeAll(async () => {
    tenant = await createOwnTenant('bankrec', 'Reconcile GmbH', 'Rita Recon')
    const client = tenant.asOwner
    const accounts = (await client.get('/api/v1/accounts')).body.data as Json[]
    const bankGl = accounts.find(a => a.code === '1010')!
    const bank = await client.post('/api/v1/bank-accounts', { json: { name: 'Sparkasse', accountId: bankGl.id } })
    expect(bank.status, bank.text).toBe(201)
    const customer = await client.post('/api/v1/customers', { json: { name: 'Müller GmbH' } })
    expect(customer.status, customer.text).toBe(201)
    const paid = await client.post('/api/v1/receipts', { json: { customerId: customer.body.id, date: '2026-03-02', amount: '1234.56', depositAccountId: bankGl.id, reference: 'INV-000123' } })
    expect(paid.status, paid.text).toBe(201)
    receipt = paid.body
  })

  test('imports the statement, matches the receipt, categorises a fee with a rule and the rest by keyboard, and completes at a difference of zero', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // Import the CSV through the wizard.
    await page.getByTestId('nav-banking-accounts').click()
    await page.getByTestId('bank-account-open').first().click()
    await page.getByTestId('bank-account-import').click()
    await page.getByTestId('bank-import-file').setInputFiles(EUROPEAN_CSV)
    await expect(page.getByTestId('bank-import-read-lines').getByTestId('bank-import-line')).toHaveCount(5)
    await page.getByTestId('bank-import-next').click()
    await page.getByTestId('bank-import-confirm').click()
    await expect(page.getByTestId('bank-import-result')).toContainText('5 lines imported')
    await page.getByTestId('bank-import-reconcile').click()

    // Start: the statement's date and ending balance (0 + 1,234.56 − 89.90 − 1,500 − 1,500 − 4.50).
    await page.getByTestId('reconcile-statement-date').fill('2026-03-31')
    // A typing slip first (…48 for …84), corrected in the open session.
    await page.getByTestId('reconcile-ending-balance').fill('-1,859.48')
    await page.getByTestId('reconcile-start-submit').click()
    await expect(page.getByTestId('reconcile-statement-balance')).toHaveText('-1,859.48')
    await page.getByTestId('reconcile-correct-balance').click()
    await page.getByTestId('reconcile-corrected-balance').fill('-1,859.84')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByTestId('reconcile-statement-balance')).toHaveText('-1,859.84')
    await expect(page.getByTestId('reconcile-difference')).toHaveText('-1,859.84')
    await expect(page.getByTestId('reconcile-complete')).toBeDisabled()
    await expect(page.getByTestId('reconcile-line')).toHaveCount(5)

    // The receipt is the first line's best suggestion; Enter matches it.
    await line(page, 'Rechnung INV-000123').click()
    const top = page.getByTestId('reconcile-suggestion').first()
    await expect(top).toContainText('Receipt')
    await expect(top).toContainText('1,234.56')
    await screenshot(page, testInfo, 'bank-reconcile-desktop')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('reconcile-tab-matched')).toContainText('1')
    await expect(page.getByTestId('reconcile-cleared-balance')).toHaveText('1,234.56')
    expect(receipt.id).toBeTruthy()

    // On a phone: the selected line and its actions first, the lines under them, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 })
    await expect(page.getByTestId('reconcile-panel')).toBeVisible()
    // Polled: the navigation drawer slides away after the resize.
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'bank-reconcile-phone')
    await page.setViewportSize({ width: 1440, height: 900 })

    // The account fee: categorised to bank charges, saved as a rule.
    await line(page, 'Kontoführung').click()
    await categorise(page, '6900', true)
    await expect(page.getByText('rule “Kontoführung” saved')).toBeVisible()

    // The rest from the keyboard: j/k move, c categorises.
    await line(page, 'Abschlag').click()
    await categorise(page, '6200')
    await expect(page.getByTestId('reconcile-line')).toHaveCount(2)
    await page.keyboard.press('k')
    await page.keyboard.press('j')
    await expect(page.getByTestId('reconcile-panel-description')).toContainText('Miete')
    await categorise(page, '6100')
    await categorise(page, '6100')

    // Difference zero: complete.
    await expect(page.getByTestId('reconcile-difference')).toHaveText('0.00')
    await expect(page.getByTestId('reconcile-lines-empty')).toContainText('Every line is matched')
    await page.getByTestId('reconcile-complete').click()
    await expect(page.getByTestId('reconcile-done')).toContainText('Reconciled to 31 Mar 2026')

    // The rule is listed; the account has nothing left to reconcile.
    await page.getByTestId('nav-banking-rules').click()
    await expect(page.getByTestId('bank-rule-row')).toContainText('Kontoführung')
    await expect(page.getByTestId('bank-rule-row')).toContainText('6900')
  })

  test('posts a transfer between two bank accounts and lists it', async ({ page }, testInfo) => {
    const client = tenant.asOwner
    const cash = ((await client.get('/api/v1/accounts')).body.data as Json[]).find(a => a.code === '1000')!
    const petty = await client.post('/api/v1/bank-accounts', { json: { name: 'Petty cash', accountId: cash.id } })
    expect(petty.status, petty.text).toBe(201)

    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.getByTestId('nav-banking-transfers').click()
    await expect(page.getByText('No transfers yet')).toBeVisible()
    await page.getByTestId('bank-transfers-add').click()
    await page.getByTestId('bank-transfer-from').locator('.v-field').click()
    await page.getByRole('option', { name: /Sparkasse/ }).click()
    await page.getByTestId('bank-transfer-to').locator('.v-field').click()
    await page.getByRole('option', { name: /Petty cash/ }).click()
    await page.getByTestId('bank-transfer-date').fill('2026-04-02')
    await page.getByTestId('bank-transfer-amount').fill('1,000')
    await page.getByTestId('bank-transfer-reference').fill('Float for April')
    await page.getByTestId('bank-transfer-save').click()
    const row = page.getByTestId('bank-transfers-table').locator('tbody tr').first()
    await expect(row).toContainText('Sparkasse')
    await expect(row).toContainText('Petty cash')
    await expect(row).toContainText('1,000.00 USD')
    await screenshot(page, testInfo, 'bank-transfers-desktop')
  })
})
