import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { createOwnTenant, type OwnTenant } from './support/tenants'
import { screenshot, signIn, overflowsHorizontally } from './support/pages'
import { closePeriodsUpTo, createAccount, postEntry, sendEntry } from '../support/ledger'

/*
 * Year-end close and FX revaluation through their pages, each on a tenant of its own (standard
 * chart, USD) whose books are set up through the API, dated in 2025 so nothing dated today moves
 * them. Refusals show in plain words; results link to the entry they posted.
 */

async function signInTo(page: Page, tenant: OwnTenant, path: string) {
  await page.goto(tenantUrl(tenant.slug, '/login'))
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(tenantUrl(tenant.slug, path))
}

test.describe('year-end close', () => {
  let tenant: OwnTenant
  let yearId = ''
  let draftId = ''

  test.beforeAll(async () => {
    tenant = await createOwnTenant('yearend', 'Year End Ltd', 'Yves Yearend')
    const c = tenant.asOwner
    await postEntry(c, { date: '2025-03-10', memo: 'Sales', lines: [{ accountCode: '1010', debit: '1000.00' }, { accountCode: '4000', credit: '1000.00' }] })
    await postEntry(c, { date: '2025-06-01', memo: 'Rent', lines: [{ accountCode: '6100', debit: '300.00' }, { accountCode: '1010', credit: '300.00' }] })
    // A draft left in December: the close refuses until it is posted or deleted.
    const draft = await sendEntry(c, { date: '2025-12-15', memo: 'Forgotten draft', lines: [{ accountCode: '6300', debit: '20.00' }, { accountCode: '1010', credit: '20.00' }] })
    expect(draft.status, draft.text).toBe(201)
    draftId = draft.body.id
    const years = (await c.get('/api/v1/fiscal-years')).body.data as { id: string, startDate: string }[]
    yearId = years.find(y => y.startDate === '2025-01-01')!.id
  })

  test('an owner closes 2025: refused in words while periods are open or a draft waits, then the closing entry', async ({ page }, testInfo) => {
    await signInTo(page, tenant, '/')
    // The menu leads there.
    await page.getByRole('link', { name: 'Year-end close' }).first().click()
    await expect(page.getByRole('heading', { name: 'Year-end close' })).toBeVisible()
    const row = page.locator('[data-testid="year-row"][data-start="2025-01-01"]')
    await expect(row).toContainText('FY 2025')
    await expect(row).toContainText('0 of 12')
    // Periods 1–11 still open: no button, the reason instead.
    await expect(row.getByTestId('year-not-ready')).toHaveText('Close periods 1–11 first (11 still open).')

    await closePeriodsUpTo(tenant.asOwner, yearId, 11)
    await page.reload()
    await expect(row).toContainText('11 of 12')
    await row.getByTestId('year-close').click()
    const dialog = page.getByTestId('year-close-dialog')
    await dialog.getByTestId('year-close-accept').click()
    // The server's refusal, in its plain words (no code, no schema wording).
    await expect(dialog).toContainText('1 draft entry is dated in this period; post or delete them first')
    await screenshot(page, testInfo, 'year-end-refused')
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    expect((await tenant.asOwner.delete(`/api/v1/journal-entries/${draftId}`)).status).toBe(200)
    await row.getByTestId('year-close').click()
    await dialog.getByTestId('year-close-accept').click()
    await expect(dialog).toBeHidden()
    const result = page.getByTestId('year-closed')
    await expect(result).toContainText('FY 2025 is closed.')
    await expect(result.getByTestId('year-closing-entry')).toHaveText('#3')
    await expect(row).toContainText('12 of 12')
    await expect(row).toContainText('Closed')
    await expect(row.getByTestId('year-close')).toHaveCount(0)
    await screenshot(page, testInfo, 'year-end-closed')

    await result.getByTestId('year-closing-entry').click()
    await expect(page).toHaveURL(/\/ledger\/journal\/[0-9a-f-]+$/)
    await expect(page.getByTestId('entry-number')).toHaveText('3')
    // Net income 1,000 − 300 = 700 into retained earnings.
    await expect(page.locator('[data-testid="entry-line-row"][data-account="3900"]')).toContainText('700.00')

    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(tenantUrl(tenant.slug, '/ledger/year-end'))
    await expect(page.getByText('FY 2025')).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'year-end-phone')
  })
})

test.describe('FX revaluation', () => {
  let tenant: OwnTenant

  test.beforeAll(async () => {
    tenant = await createOwnTenant('reval', 'Euro Trading', 'Rita Reval')
    const c = tenant.asOwner
    await createAccount(c, { code: '1020', name: 'Bank EUR', type: 'asset', subtype: 'bank', currency: 'EUR' })
    // 1,000 EUR at 1.10 = 1,100.00 USD in the books.
    await postEntry(c, { date: '2025-01-10', memo: 'Capital in EUR', currency: 'EUR', exchangeRate: '1.1', lines: [{ accountCode: '1020', debit: '1000.00' }, { accountCode: '3000', credit: '1000.00' }] })
  })

  test('an owner revalues a euro balance at January\'s end: refused without a rate, then posted and reversed', async ({ page }, testInfo) => {
    await signInTo(page, tenant, '/')
    await page.getByRole('link', { name: 'FX revaluation' }).first().click()
    await expect(page.getByRole('heading', { name: 'FX revaluation' })).toBeVisible()

    await page.getByTestId('revaluation-start').click()
    const dialog = page.getByTestId('revaluation-dialog')
    // Not a month end: said beside the field, before anything is sent.
    await dialog.getByTestId('revaluation-date').fill('2025-01-30')
    await dialog.getByTestId('revaluation-save').click()
    await expect(dialog).toContainText('Revaluation runs on the last day of a month')

    // No EUR rate yet: the refusal says so.
    await dialog.getByTestId('revaluation-date').fill('2025-01-31')
    await dialog.getByTestId('revaluation-save').click()
    await expect(dialog.getByTestId('revaluation-error')).toContainText('No EUR rate on or before 2025-01-31')
    await screenshot(page, testInfo, 'revaluation-refused')
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    expect((await tenant.asOwner.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date: '2025-01-31', rate: '1.2' } })).status).toBe(201)
    await page.getByTestId('revaluation-start').click()
    await dialog.getByTestId('revaluation-date').fill('2025-01-31')
    await dialog.getByTestId('revaluation-save').click()
    await expect(dialog).toBeHidden()

    // 1,000 EUR × 1.2 = 1,200.00; 1,100.00 in the books: +100.00.
    const row = page.locator('[data-testid="revaluation-row"][data-code="1020"]')
    await expect(row).toContainText('1,200.00')
    await expect(row).toContainText('1,100.00')
    await expect(row.getByTestId('revaluation-difference')).toHaveText('100.00')
    const result = page.getByTestId('revaluation-result')
    await expect(result).toContainText('posts the revaluation at 31 Jan 2025.')
    await expect(result.getByTestId('revaluation-reversal')).toBeVisible()
    await screenshot(page, testInfo, 'revaluation-posted')

    await page.setViewportSize({ width: 390, height: 844 })
    // The table gives way to the phone list once the layout follows the new width.
    await expect(page.getByText('difference', { exact: true })).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'revaluation-phone')
    await page.setViewportSize({ width: 1280, height: 720 })

    await result.getByTestId('revaluation-entry').click()
    await expect(page).toHaveURL(/\/ledger\/journal\/[0-9a-f-]+$/)
    await expect(page.getByTestId('entry-number')).toHaveText('2')
    await expect(page.locator('[data-testid="entry-line-row"][data-account="1020"]')).toContainText('Revaluation of 1000.00 EUR at 1.2')
    // The entry's amounts are in base only (0.00 in the entry's own currency): the page shows its
    // base columns, so the 100.00 is there, not a blank line.
    await expect(page.locator('[data-testid="entry-line-row"][data-account="1020"]')).toContainText('100.00')
    await expect(page.locator('[data-testid="entry-line-row"][data-account="7900"]')).toContainText('Unrealised FX gain')
    await expect(page.locator('[data-testid="entry-line-row"][data-account="7900"]')).toContainText('100.00')
  })
})
