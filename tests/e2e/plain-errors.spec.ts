import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'

/*
 * What the browser refuses before asking the API, in the API's own words: an amount past the
 * ledger's 15 digits or with more decimals than its currency, and a report range whose From is
 * after its To.
 */
test.describe('plain-language refusals', () => {
  test.beforeEach(async ({ page }) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
  })

  test('an amount with 16 digits is refused on its line in the server\'s words', async ({ page }) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/ledger/journal/new'))
    await page.getByTestId('line-debit-0').fill('1234567890123456')
    await page.getByTestId('line-credit-0').focus()
    await expect(page.getByTestId('entry-line').nth(0)).toContainText('Amounts can have at most 15 digits before the decimal point')
    await page.getByTestId('line-debit-0').fill('123456789012345')
    await expect(page.getByTestId('entry-line').nth(0)).not.toContainText('digits before the decimal point')
  })

  test('more decimals than the entry\'s currency has are refused on the line, naming the currency', async ({ page }) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/ledger/journal/new'))
    await page.getByTestId('line-debit-0').fill('10.005')
    await page.getByTestId('line-credit-0').focus()
    // The same sentence as the API's 400 TOO_MANY_DECIMALS (server/domain/amount-rules.ts decimalsMessage).
    await expect(page.getByTestId('entry-line').nth(0)).toContainText('USD amounts can have at most 2 decimal places')
    await page.getByTestId('line-debit-0').fill('10.05')
    await expect(page.getByTestId('entry-line').nth(0)).not.toContainText('decimal places')
  })

  test('a report range with From after To marks the From field and asks the API nothing', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    const asked: string[] = []
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/reports/income-statement')) asked.push(request.url())
    })
    await page.goto(tenantUrl(tenant.slug, '/reports/income-statement?from=2025-12-01&to=2025-01-31'))
    const from = page.locator('.v-input', { has: page.getByTestId('report-from') })
    await expect(from).toContainText('From is after To')
    await expect(from).toHaveClass(/v-input--error/)
    await screenshot(page, testInfo, 'report-range-reversed')
    // Neither the server's render nor the browser asked for the report: no refusal is shown.
    await expect(page.getByTestId('is-error')).toHaveCount(0)
    await page.getByTestId('report-to').fill('2025-12-31')
    await page.getByTestId('report-to').blur()
    await expect(from).not.toContainText('From is after To')
    // Once the range is in order the report is asked for, and only then.
    await expect(page.getByTestId('is-table').or(page.getByTestId('is-empty'))).toBeVisible()
    expect(asked.some(url => url.includes('to=2025-12-31'))).toBe(true)
    expect(asked.filter(url => url.includes('to=2025-01-31'))).toEqual([])
  })
})
