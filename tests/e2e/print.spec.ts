import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { requestJson } from './support/http'
import { signIn } from './support/pages'
import { createOwnTenant } from './support/tenants'

/*
 * Report pages on paper and in the organisation's formats: the print stylesheet leaves only the
 * statement, and the pages write dates and figures as the organisation's settings say, date
 * inputs included.
 */
test.describe('report pages', () => {
  test('print only the statement: no navigation, buttons or filters', async ({ page }) => {
    const tenant = await createOwnTenant('print', 'Print Works')
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, '/reports/balance-sheet?asOf=2026-11-30'))
    const table = page.getByTestId('bs-table')
    await expect(table).toBeVisible()
    const drawer = page.locator('.v-navigation-drawer')
    await expect(drawer).toBeVisible()
    await expect(page.locator('.v-app-bar')).toBeVisible()
    await expect(page.getByTestId('report-as-of')).toBeVisible()

    await page.emulateMedia({ media: 'print' })
    await expect(table).toBeVisible()
    await expect(drawer).toBeHidden()
    await expect(page.locator('.v-app-bar')).toBeHidden()
    await expect(page.getByTestId('report-as-of')).toBeHidden()
    await expect(page.getByTestId('export-csv')).toBeHidden()
    // The statement takes the page's width: nothing is left of the drawer's space.
    // (polled: the main area's padding follows the hidden drawer with a transition)
    await expect.poll(() => table.evaluate(el => el.getBoundingClientRect().left)).toBeLessThan(40)

    await page.emulateMedia({ media: 'screen' })
    await expect(drawer).toBeVisible()
  })

  test('write dates and figures in the organisation\'s formats, and read typed dates in them', async ({ page }) => {
    const { port } = e2eContext()
    const tenant = await createOwnTenant('formats', 'Formats GmbH')
    const host = `${tenant.slug}.localhost:${port}`
    const login = await requestJson(port, host, 'POST', '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
    const token = login.body.accessToken as string
    const settings = await requestJson(port, host, 'PATCH', '/api/v1/settings', { token, json: { dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', negativeStyle: 'parentheses' } })
    expect(settings.status, settings.text).toBe(200)
    const posted = await requestJson(port, host, 'POST', '/api/v1/journal-entries', {
      token, json: { date: '2026-11-05', memo: 'Capital', post: true, lines: [{ accountCode: '1000', debit: '12345.60' }, { accountCode: '3000', credit: '12345.60' }] },
    })
    expect(posted.status, posted.text).toBe(201)

    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, '/reports/balance-sheet?asOf=2026-11-30'))
    const asOf = page.getByTestId('report-as-of')
    await expect(asOf).toHaveValue('30.11.2026')
    await expect(page.getByTestId('bs-table')).toContainText('12.345,60')

    // A date typed in the organisation's format moves the report; leaving the field keeps the format.
    await asOf.fill('4.11.2026')
    await asOf.blur()
    await expect(asOf).toHaveValue('04.11.2026')
    await expect(page).toHaveURL(/asOf=2026-11-04/)
    await expect(page.getByText('12.345,60')).toHaveCount(0)
  })
})
