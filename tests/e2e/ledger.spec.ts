import { expect, test, type Page } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'

// Read inside each test: the file is also loaded to list the tests, before the global setup has run.

/** The text of one figure cell of a report row, or `''` when the account has no row. */
async function figure(page: Page, row: string, code: string, cell: string): Promise<string> {
  const line = page.locator(`[data-testid="${row}"][data-code="${code}"]`)
  if (await line.count() === 0) return ''
  return (await line.getByTestId(cell).innerText()).trim()
}

/** A report's figure once it has loaded; a blank cell or a missing row reads as zero. */
async function expectFigure(page: Page, row: string, code: string, cell: string, expected: string) {
  await expect.poll(async () => {
    const text = await figure(page, row, code, cell)
    return text === '' ? '0.00' : text
  }).toBe(expected)
}

test.describe('the general ledger', () => {
  test('a bookkeeper keys in an entry, posts and reverses it, and the reports follow', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // The ledger has its own section in the navigation.
    await expect(page.getByTestId('nav-ledger-journal')).toBeVisible()
    await page.getByTestId('nav-ledger-journal').click()
    await expect(page.getByRole('heading', { name: 'Journal' })).toBeVisible()
    await page.getByTestId('journal-new').click()
    await expect(page).toHaveURL(/\/ledger\/journal\/new$/)

    // The whole entry from the keyboard: Enter moves on, Enter on an account takes the first match.
    const memo = page.getByTestId('entry-memo')
    await memo.click()
    await memo.fill('Owner invests')
    await memo.press('Enter')
    await expect(page.getByTestId('entry-reference')).toBeFocused()
    await page.keyboard.type('CAP-001')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('line-account-0')).toBeFocused()
    await page.keyboard.type('1010')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('line-debit-0')).toBeFocused()
    // A chosen account shows as the field's selection, not as typed text.
    await expect(page.getByTestId('entry-line').nth(0)).toContainText('1010 · Bank account')
    await page.keyboard.type('10,000')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('line-credit-0')).toBeFocused()
    await expect(page.getByTestId('line-debit-0')).toHaveValue('10000.00')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Capital paid in')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('line-account-1')).toBeFocused()

    // Unbalanced so far: the difference shows and Post waits.
    await expect(page.getByTestId('entry-difference')).toHaveText('10,000.00 more debit')
    await expect(page.getByTestId('entry-post')).toBeDisabled()

    await page.keyboard.type('capital')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('entry-line').nth(1)).toContainText('3000 · Owner\'s capital')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('line-credit-1')).toBeFocused()
    await page.keyboard.type('10000')
    await page.keyboard.press('Tab')
    await expect(page.getByTestId('line-description-1')).toBeFocused()
    // Tabbing out of the last cell opens a new line.
    await page.keyboard.press('Tab')
    await expect(page.getByTestId('line-account-2')).toBeFocused()
    await expect(page.getByTestId('entry-difference')).toHaveText('0.00')
    await expect(page.getByTestId('entry-post')).toBeEnabled()
    await screenshot(page, testInfo, 'ledger-entry-editor')

    // Saved as a draft (the empty third line is left out), then posted from its page.
    await page.getByTestId('entry-save').click()
    await expect(page).toHaveURL(/\/ledger\/journal\/[0-9a-f-]{36}$/)
    const draftUrl = page.url()
    await expect(page.getByTestId('entry-status-draft')).toBeVisible()
    await expect(page.getByTestId('entry-line-row')).toHaveCount(2)
    await expect(page.getByTestId('entry-total-debit')).toHaveText('10,000.00')
    await page.getByTestId('entry-post').click()
    await expect(page.getByTestId('entry-status-posted')).toBeVisible()
    await expect(page.getByTestId('entry-number')).toHaveText(/^\d+$/)
    const number = (await page.getByTestId('entry-number').innerText()).trim()

    // The chart shows the balances.
    await page.goto(tenantUrl(tenant.slug, '/ledger/accounts'))
    await expect(page.getByTestId('account-balance-1010')).toHaveText('10,000.00')
    await expect(page.getByTestId('account-balance-3000')).toHaveText('10,000.00')
    await screenshot(page, testInfo, 'ledger-chart-of-accounts')

    // Trial balance: bank in debit, capital in credit.
    await page.goto(tenantUrl(tenant.slug, '/reports/trial-balance'))
    await expectFigure(page, 'tb-row', '1010', 'tb-debit', '10,000.00')
    await expectFigure(page, 'tb-row', '3000', 'tb-credit', '10,000.00')
    await expect(page.getByTestId('tb-balanced')).toHaveText('In balance')
    await screenshot(page, testInfo, 'ledger-trial-balance')

    // Drill-down: the bank's figure opens its general ledger, which links back to the entry.
    await page.locator('[data-testid="tb-row"][data-code="1010"]').getByTestId('tb-debit').getByRole('link').click()
    await expect(page).toHaveURL(/\/reports\/general-ledger\?/)
    await expect(page.getByTestId('gl-closing')).toHaveText('10,000.00')
    await expect(page.getByTestId('gl-entry-link').first()).toHaveText(number)

    // Balance sheet: the asset and the equity.
    await page.goto(tenantUrl(tenant.slug, '/reports/balance-sheet'))
    await expectFigure(page, 'bs-row', '1010', 'bs-amount', '10,000.00')
    await expectFigure(page, 'bs-row', '3000', 'bs-amount', '10,000.00')
    await expect(page.getByTestId('bs-balanced')).toBeVisible()

    // Reverse it from its page: the reversal opens, linked both ways.
    await page.goto(draftUrl)
    await page.getByTestId('entry-reverse').click()
    const dialog = page.getByTestId('entry-reverse-dialog')
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('entry-reverse-accept').click()
    await expect(page).not.toHaveURL(draftUrl)
    await expect(page.getByTestId('entry-reversal-of')).toContainText(`entry ${number}`)
    await expect(page.getByTestId('entry-status-posted')).toBeVisible()
    await page.getByTestId('entry-reversal-of').click()
    await expect(page).toHaveURL(draftUrl)
    await expect(page.getByTestId('entry-reversed-by')).toBeVisible()
    await expect(page.getByTestId('entry-reverse')).toHaveCount(0)

    // After the reversal both accounts are back to zero.
    await page.goto(tenantUrl(tenant.slug, '/reports/trial-balance'))
    await expect(page.getByTestId('tb-table').or(page.getByTestId('tb-empty'))).toBeVisible()
    await expectFigure(page, 'tb-row', '1010', 'tb-debit', '0.00')
    await expectFigure(page, 'tb-row', '3000', 'tb-credit', '0.00')
    await page.goto(tenantUrl(tenant.slug, '/reports/balance-sheet'))
    await expect(page.getByTestId('bs-table').or(page.getByTestId('bs-empty'))).toBeVisible()
    await expectFigure(page, 'bs-row', '1010', 'bs-amount', '0.00')
    await expectFigure(page, 'bs-row', '3000', 'bs-amount', '0.00')
  })
})

test.describe('the ledger pages', () => {
  test('list the journal, the periods and the rates, and the dashboard shows the ledger figures', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // Dashboard: the KPI cards and the twelve-month chart come from the ledger and the reports.
    await expect(page.getByTestId('dashboard-organisation')).toBeVisible()
    await expect(page.getByTestId('kpi-cash-value')).toContainText(/\d/)
    await expect(page.getByTestId('kpi-revenue-value')).toContainText(/\d/)
    await expect(page.getByTestId('kpi-net-income-value')).toContainText(/\d/)
    await expect(page.getByTestId('revenue-expense-chart').locator('g[role="link"]')).toHaveCount(12)
    await screenshot(page, testInfo, 'ledger-dashboard')

    // A posted entry is found by its memo; drafts and posted can be told apart.
    await page.goto(tenantUrl(tenant.slug, '/ledger/journal'))
    await page.getByTestId('journal-search').fill('Owner invests')
    await expect(page.getByTestId('entry-row').first()).toContainText('Owner invests')
    await expect(page.getByTestId('entry-row').first().getByTestId('entry-status-posted')).toBeVisible()
    await screenshot(page, testInfo, 'ledger-journal')

    // The current fiscal year's periods: the first open one may close.
    await page.goto(tenantUrl(tenant.slug, '/ledger/periods'))
    await expect(page.getByTestId('period-row').first()).toBeVisible()
    await expect(page.getByTestId('period-close')).toHaveCount(1)
    await screenshot(page, testInfo, 'ledger-periods')

    // A rate is added through the dialog and listed.
    await page.goto(tenantUrl(tenant.slug, '/ledger/rates'))
    await page.getByTestId('rates-add').click()
    const dialog = page.getByTestId('rate-dialog')
    await dialog.getByTestId('rate-currency').locator('input').fill('EUR')
    await page.getByRole('option', { name: /^EUR/ }).click()
    await dialog.getByTestId('rate-value').fill('1.0850')
    await dialog.getByTestId('rate-save').click()
    await expect(dialog).toBeHidden()
    await expect(page.getByTestId('rates-table')).toContainText('1.085')
    await screenshot(page, testInfo, 'ledger-rates')

    // A new account: the API's refusal of a taken code shows on the code field.
    await page.goto(tenantUrl(tenant.slug, '/ledger/accounts'))
    await page.getByTestId('accounts-add').click()
    const accountDialog = page.getByTestId('account-dialog')
    await accountDialog.getByTestId('account-code').fill('1010')
    await accountDialog.getByTestId('account-name').fill('Second bank')
    await accountDialog.getByTestId('account-save').click()
    await expect(accountDialog.locator('.v-input', { has: page.getByTestId('account-code') })).toContainText('Is already used')
    await accountDialog.getByTestId('account-code').fill('1020')
    await accountDialog.getByTestId('account-currency').locator('input').fill('EUR')
    await page.getByRole('option', { name: /^EUR/ }).click()
    await accountDialog.getByTestId('account-save').click()
    await expect(accountDialog).toBeHidden()
    await expect(page.locator('[data-testid="account-row"][data-code="1020"]')).toContainText('Second bank')

    // The server's refusal of a line (a USD entry on a EUR-only account) shows on that line.
    await page.goto(tenantUrl(tenant.slug, '/ledger/journal/new'))
    await page.getByTestId('entry-memo').fill('Rent paid from the euro account')
    await page.getByTestId('line-account-0').fill('6100')
    await page.getByTestId('line-account-0').press('Enter')
    await page.keyboard.type('50')
    await page.getByTestId('line-account-1').fill('1020')
    await page.getByTestId('line-account-1').press('Enter')
    await page.keyboard.press('Enter')
    await page.keyboard.type('50')
    await page.getByTestId('entry-save').click()
    await expect(page.getByTestId('entry-error')).toBeVisible()
    await expect(page.getByTestId('entry-line').nth(1)).toContainText('Takes only EUR')
    await expect(page.getByTestId('entry-line').nth(0)).not.toContainText('Takes only')
    await expect(page).toHaveURL(/\/ledger\/journal\/new$/)

    // The other statements render for the year to date; no revenue or expense has been posted.
    await page.goto(tenantUrl(tenant.slug, '/reports/income-statement'))
    await expect(page.getByTestId('is-empty')).toBeVisible()
    await page.goto(tenantUrl(tenant.slug, '/reports/cash-flow'))
    await expect(page.getByTestId('cf-net-change')).toHaveText('0.00')
    await screenshot(page, testInfo, 'ledger-cash-flow')
  })
})

test.describe('the ledger on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

  test('the entry editor and the chart of accounts fit 390 px', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    await page.goto(tenantUrl(tenant.slug, '/ledger/journal/new'))
    await expect(page.getByTestId('line-account-0')).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'ledger-entry-editor-phone')

    await page.goto(tenantUrl(tenant.slug, '/ledger/accounts'))
    await expect(page.getByTestId('account-row').first()).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'ledger-chart-of-accounts-phone')
  })
})
