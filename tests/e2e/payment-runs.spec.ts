import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import postgres from 'postgres'
import { e2eContext, tenantUrl } from './support/context'
import { requestJson } from './support/http'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant, join, type OwnTenant, type Person } from './support/tenants'

/** Where the payment run's screenshots are also kept for a person to look at. */
const SHOTS = '/tmp/shots-runs'

/** The bills flow continued (tests/e2e/bills.spec.ts): the approved bill is paid by a payment run. */
test.describe('purchases: payment runs', () => {
  let tenant: OwnTenant
  let clerk: Person
  let approver: Person
  let bill: { id: string, number: string }

  const api = async (person: Person, method: string, path: string, json?: unknown) => {
    const { port } = e2eContext()
    const login = await requestJson(port, tenant.host, 'POST', '/api/v1/auth/login', { json: { email: person.email, password: person.password } })
    expect(login.status, login.text).toBe(200)
    const res = await requestJson(port, tenant.host, method, path, { json, token: login.body.accessToken })
    expect(res.status, res.text).toBeLessThan(300)
    return res.body
  }

  test.beforeAll(async () => {
    tenant = await createOwnTenant('runs', 'Run Demo Ltd', 'Rita Owner')
    const owner = tenant.asOwner
    const settings = (await owner.get('/api/v1/settings')).body
    expect((await owner.patch('/api/v1/settings', { json: { billApprovalThreshold: '100.00', version: settings.version } })).status).toBe(200)
    clerk = await join(tenant, 'Cody Clerk', ['ap_clerk'])
    approver = await join(tenant, 'Abe Approver', ['accountant'])
    // The vendor's bank account: the owner enters it, the accountant confirms it (maker-checker).
    const vendor = await owner.post('/api/v1/vendors', { json: { name: 'Harbour Office Supplies', bankAccount: { iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' } } })
    expect(vendor.status, vendor.text).toBe(201)
    await api(approver, 'POST', `/api/v1/vendors/${vendor.body.id}/bank-account/confirm`, { changeId: vendor.body.pendingBankAccount.id })
    const accounts = (await owner.get('/api/v1/accounts?pageSize=200')).body.data as { id: string, code: string }[]
    // The bills test's bill: the clerk submits 40 × 12.50 above the threshold; the accountant approves it.
    const submitted = await api(clerk, 'POST', '/api/v1/bills', {
      vendorId: vendor.body.id, vendorReference: 'HOS-2041', date: new Date().toISOString().slice(0, 10), amountsAre: 'exclusive', submit: true,
      lines: [{ description: 'Printer paper, 40 boxes', quantity: '40', unitPrice: '12.50', accountId: accounts.find(a => a.code === '6300')!.id }],
    })
    expect(submitted.status).toBe('awaiting_approval')
    const approved = await api(approver, 'POST', `/api/v1/bills/${submitted.id}/approve`)
    bill = { id: approved.id, number: approved.number }
  })

  async function signedIn(page: Page, person: Person) {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, person.email, person.password)
  }

  test('an AP clerk prepares a run of the approved bill and cannot approve it; an accountant approves it, the bill is paid and the pain.001 downloads', async ({ page, browser }, testInfo) => {
    mkdirSync(SHOTS, { recursive: true })
    await signedIn(page, clerk)
    await page.getByTestId('nav-purchases-payment-runs').click()
    await page.getByTestId('payment-runs-new').click()
    await expect(page.getByTestId('payment-run-bills')).toContainText(bill.number)
    await page.getByTestId(`payment-run-pick-${bill.number}`).click()
    await expect(page.getByTestId('payment-run-total')).toContainText('500.00')
    await screenshot(page, testInfo, 'payment-run-new')
    await page.screenshot({ path: `${SHOTS}/new-desktop.png`, fullPage: true, animations: 'disabled' })
    await page.setViewportSize({ width: 390, height: 844 })
    await expect(page.locator('.app-drawer')).not.toHaveClass(/v-navigation-drawer--active/) // the phone layout
    await page.screenshot({ path: `${SHOTS}/new-phone.png`, fullPage: true, animations: 'disabled' })
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByTestId('payment-run-prepare').click()
    await expect(page).toHaveURL(/\/purchases\/payment-runs\/[0-9a-f-]{36}$/)
    await expect(page.getByTestId('payment-run-status')).toContainText('Awaiting approval')
    const number = (await page.getByTestId('payment-run-number').textContent())!.trim()
    expect(number).toMatch(/^PR-\d{6}$/)
    // The clerk has no payment rights: no approve button, and the server refuses too.
    await expect(page.getByTestId('payment-run-approve')).toHaveCount(0)
    await expect(page.getByTestId('payment-run-waiting')).toBeVisible()

    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true })
    const other = await context.newPage()
    await signedIn(other, approver)
    await other.getByTestId('nav-purchases-payment-runs').click()
    await expect(other.getByTestId('payment-run-row')).toHaveCount(1)
    await other.getByTestId('payment-runs-table').getByRole('link', { name: number }).click()
    await expect(other.getByTestId('payment-run-vendor')).toContainText('Harbour Office Supplies')
    await other.screenshot({ path: `${SHOTS}/prepared-desktop.png`, fullPage: true, animations: 'disabled' })
    await other.getByTestId('payment-run-approve').click()
    await expect(other.getByTestId('payment-run-status')).toContainText('Approved')
    await expect(other.getByTestId('payment-run-approved-by')).toContainText('Abe Approver')
    await expect(other.getByTestId('payment-run-vendor')).toContainText('Paid')
    await screenshot(other, testInfo, 'payment-run-approved')
    await other.screenshot({ path: `${SHOTS}/approved-desktop.png`, fullPage: true, animations: 'disabled' })

    const downloading = other.waitForEvent('download')
    await other.getByTestId('payment-run-file-pain001').click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe(`${number}.xml`)
    const bytes = readFileSync((await download.path())!)
    const xml = bytes.toString('utf8')
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    expect(xml).toMatch(/<InstdAmt Ccy="[A-Z]{3}">500\.00<\/InstdAmt>/)
    expect(xml).toContain('<IBAN>DE89370400440532013000</IBAN>')
    expect(xml).toContain(`${bill.number} (HOS-2041)`)
    // The download is in the audit log with the file's SHA-256.
    const runId = other.url().split('/').pop()!
    const sql = postgres(e2eContext().databaseUrl, { max: 1, onnotice: () => {} })
    try {
      const downloads = await sql`select after from audit_events where tenant_id = ${tenant.id} and entity_id = ${runId} and action = 'payment_run.file.download'`
      expect(downloads.map(d => d.after)).toEqual([expect.objectContaining({ format: 'pain001', sha256: createHash('sha256').update(bytes).digest('hex') })])
    }
    finally {
      await sql.end()
    }

    await other.getByTestId('payment-run-back').click()
    await other.getByTestId('payment-runs-table').getByRole('link', { name: number }).click()
    await expect(other.getByTestId('payment-run-status')).toContainText('Approved')
    await other.setViewportSize({ width: 390, height: 844 })
    await expect(other.locator('.app-drawer')).not.toHaveClass(/v-navigation-drawer--active/)
    await other.screenshot({ path: `${SHOTS}/approved-phone.png`, fullPage: true, animations: 'disabled' })
    await context.close()

    // The bill is paid.
    await page.goto(tenantUrl(tenant.slug, `/purchases/bills/${bill.id}`))
    await expect(page.getByTestId('bill-status')).toContainText(/paid/i)
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(tenantUrl(tenant.slug, '/purchases/payment-runs'))
    await expect(page.getByTestId('payment-runs-table')).toContainText(number)
    await expect(page.locator('.app-drawer')).not.toHaveClass(/v-navigation-drawer--active/)
    await page.screenshot({ path: `${SHOTS}/list-phone.png`, fullPage: true, animations: 'disabled' })
  })
})
