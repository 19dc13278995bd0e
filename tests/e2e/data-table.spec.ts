import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/** The ids of the journal rows shown, top to bottom. */
function rowIds(page: Page): Promise<(string | null)[]> {
  return page.getByTestId('entry-row').evaluateAll(rows => rows.map(row => row.getAttribute('data-id')))
}

test.describe('the data table', () => {
  let tenant: OwnTenant

  test.beforeAll(async () => {
    tenant = await createOwnTenant('table', 'Table Traders')
    // Thirty posted entries, one a day in January, and three drafts: two pages of posted entries.
    const entry = (day: number, post: boolean) => ({
      date: `2026-01-${String(day).padStart(2, '0')}`, memo: `${post ? 'Sale' : 'Draft'} ${day}`, post,
      lines: [{ accountCode: '1010', debit: `${day}.00` }, { accountCode: '4000', credit: `${day}.00` }],
    })
    for (const [day, post] of [...Array.from({ length: 30 }, (_, i) => [i + 1, true] as const), [5, false], [6, false], [7, false]] as const) {
      const res = await tenant.asOwner.post('/api/v1/journal-entries', { json: entry(day, post) })
      expect(res.status, res.text).toBe(201)
    }
  })

  test('keeps the journal\'s filter, sort and page in the URL: a reload shows the same rows', async ({ page }, testInfo) => {
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, '/ledger/journal'))
    const table = page.getByTestId('journal-table')
    await expect(page.getByTestId('entry-row')).toHaveCount(25)

    // Posted only, oldest first, the second page.
    await page.getByTestId('journal-status').locator('.v-field').click()
    await page.getByRole('option', { name: 'Posted' }).click()
    await expect(page).toHaveURL(/status=posted/)
    await table.getByRole('columnheader', { name: 'Date' }).click()
    await expect(page).toHaveURL(/sort=date%3Aasc|sort=date:asc/)
    await expect(page.getByTestId('entry-row').first()).toContainText('Sale 1')
    await table.getByRole('button', { name: 'Next page' }).click()
    await expect(page).toHaveURL(/page=2/)
    await expect(page.getByTestId('entry-row')).toHaveCount(5)
    await expect(page.getByTestId('entry-row').first()).toContainText('Sale 26')
    const shown = await rowIds(page)
    const url = page.url()

    await page.reload()
    await expect(page).toHaveURL(url)
    await expect(page.getByTestId('entry-row')).toHaveCount(5)
    expect(await rowIds(page)).toEqual(shown)
    await expect(page.getByTestId('journal-status')).toContainText('Posted')
    await expect(table.getByRole('columnheader', { name: 'Date' })).toHaveAttribute('aria-sort', 'ascending')
    await expect(table.locator('.v-data-table-footer')).toContainText('26-30 of 30')
    await screenshot(page, testInfo, 'data-table-journal-reloaded')

    // Back steps through the changes: page 1 of the same filter and sort.
    await page.goBack()
    await expect(page).not.toHaveURL(/page=2/)
    await expect(page.getByTestId('entry-row').first()).toContainText('Sale 1')
  })
})
