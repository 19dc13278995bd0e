import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant, join, type OwnTenant, type Person } from './support/tenants'

/** Types into the focused field and presses Enter (the editor's "next cell"). */
async function typeEnter(page: Page, text: string) {
  if (text) await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

const field = (page: Page, testid: string) => page.getByTestId(testid).locator('input').or(page.locator(`input[data-testid="${testid}"]`)).first()

test.describe('purchases: bills', () => {
  let tenant: OwnTenant
  let clerk: Person
  let approver: Person
  let expense: { code: string, name: string }

  test.beforeAll(async () => {
    tenant = await createOwnTenant('bills', 'Bill Demo Ltd', 'Bea Owner')
    const api = tenant.asOwner
    const settings = (await api.get('/api/v1/settings')).body
    const raised = await api.patch('/api/v1/settings', { json: { billApprovalThreshold: '100.00', version: settings.version } })
    expect(raised.status, raised.text).toBe(200)
    const vendor = await api.post('/api/v1/vendors', { json: { name: 'Harbour Office Supplies', email: 'accounts@harbour.example' } })
    expect(vendor.status, vendor.text).toBe(201)
    const accounts = (await api.get('/api/v1/accounts?pageSize=200')).body.data as { code: string, name: string, type: string, isActive: boolean }[]
    const expenses = accounts.filter(a => a.type === 'expense' && a.isActive)
    expense = expenses.find(a => /office|suppl/i.test(a.name)) ?? expenses[0]!
    clerk = await join(tenant, 'Cody Clerk', ['ap_clerk'])
    approver = await join(tenant, 'Abe Approver', ['accountant'])
  })

  test('an AP clerk enters a bill above the approval threshold and cannot approve it; an accountant approves it and it posts', async ({ page, browser }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, clerk.email, clerk.password)
    await expect(page.getByTestId('nav-purchases-bills-approvals')).toHaveCount(0)
    await page.getByTestId('nav-purchases-bills').click()
    await page.getByTestId('bills-new').click()
    await expect(page.getByTestId('bill-editor')).toBeVisible()

    await field(page, 'bill-vendor').click()
    await page.keyboard.type('Harbour')
    await expect(page.getByRole('option', { name: 'Harbour Office Supplies' })).toBeVisible()
    await page.keyboard.press('Enter')
    await page.getByTestId('bill-vendor-reference').fill('HOS-2041')

    await page.getByTestId('doc-line-description-0').click()
    await typeEnter(page, 'Printer paper, 40 boxes')
    await typeEnter(page, '40')
    await typeEnter(page, '12.50')
    await typeEnter(page, '')
    await page.keyboard.type(expense.code)
    await expect(page.getByRole('option', { name: new RegExp(expense.name) })).toBeVisible()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('bill-editor')).toContainText('500.00')
    await screenshot(page, testInfo, 'bill-editor')

    await page.getByTestId('bill-submit').click()
    await expect(page.getByText('Bill submitted: it waits for approval.')).toBeVisible()
    await expect(page.getByTestId('bill-status')).toContainText(/awaiting approval/i)
    await expect(page.getByTestId('bill-approve')).toHaveCount(0)

    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' })
    const other = await context.newPage()
    await other.setViewportSize({ width: 1280, height: 900 })
    await other.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(other, approver.email, approver.password)
    await other.getByTestId('nav-purchases-bills-approvals').click()
    await expect(other.getByTestId('bill-row')).toHaveCount(1)
    await expect(other.getByTestId('bills-table')).toContainText('Harbour Office Supplies')
    await expect(other.getByTestId('bill-row').locator('td').last()).toHaveText('—') // nothing owed before it posts
    await screenshot(other, testInfo, 'bill-approvals-inbox')
    await other.getByTestId('bills-table').getByRole('link').first().click()
    await other.getByTestId('bill-approve').click()
    await expect(other.getByTestId('bill-status')).toContainText(/open/i)
    await expect(other.getByTestId('bill-number')).toContainText(/BILL-\d{6}/)
    await expect(other.getByTestId('bill-journal-entry')).toBeVisible()
    await screenshot(other, testInfo, 'bill-approved')
    await context.close()
  })
})
