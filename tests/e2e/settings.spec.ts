import { expect, test, type Page } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { requestJson } from './support/http'
import { mailedLinkPath } from './support/mail'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/** Chooses an option of a Vuetify select by the start of its title. */
async function choose(page: Page, testid: string, option: RegExp) {
  await page.getByTestId(testid).locator('.v-field').click()
  await page.getByRole('option', { name: option }).click()
}

test.describe('the organisation settings', () => {
  // A tenant of its own: its date format must not change what other tests read on acme.
  let tenant: OwnTenant

  test.beforeAll(async () => {
    tenant = await createOwnTenant('settings', 'Settings & Sons')
    const res = await tenant.asOwner.post('/api/v1/journal-entries', {
      json: { date: '2026-03-15', memo: 'Ides of March', post: true, lines: [{ accountCode: '1010', debit: '1234.50' }, { accountCode: '3000', credit: '1234.50' }] },
    })
    expect(res.status, res.text).toBe(201)
  })

  test('a new date format applies at once on the list pages; a change made meanwhile is a conflict, not overwritten', async ({ page }, testInfo) => {
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    await page.getByTestId('nav-ledger-journal').click()
    await expect(page.getByTestId('entry-row').first()).toContainText('15 Mar 2026')

    await page.getByTestId('nav-settings-organisation').click()
    await expect(page.getByRole('heading', { name: 'Organisation' })).toBeVisible()
    await expect(page.getByTestId('settings-name')).toHaveValue('Settings & Sons')
    await expect(page.getByTestId('settings-save')).toBeDisabled()
    await choose(page, 'settings-date-format', /^28\/11\/2026/)
    await choose(page, 'settings-negative-style', /^Parentheses/)
    await expect(page.getByTestId('settings-preview')).toHaveText('28/11/2026 · (1,234,567.89)')
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, testInfo, 'settings-desktop')
    await page.getByTestId('settings-save').click()
    await expect(page.getByText('Settings saved.')).toBeVisible()
    await expect(page.getByTestId('settings-save')).toBeDisabled()

    // Without a reload: the journal and the chart write dates and figures the new way.
    await page.getByTestId('nav-ledger-journal').click()
    await expect(page.getByTestId('entry-row').first()).toContainText('15/03/2026')
    await page.getByTestId('nav-ledger-periods').click()
    await expect(page.locator('[data-testid="period-row"][data-start="2026-03-01"]')).toContainText('01/03/2026 – 31/03/2026')

    // Someone else changes the settings while this page is open: saving says so and keeps theirs.
    // The page reads the settings afresh; the other change comes after that read.
    const read = page.waitForResponse(res => res.url().includes('/api/v1/settings') && res.request().method() === 'GET')
    await page.getByTestId('nav-settings-organisation').click()
    await read
    await expect(page.getByTestId('settings-name')).toHaveValue('Settings & Sons')
    const meanwhile = await tenant.asOwner.patch('/api/v1/settings', { json: { taxNumber: 'GB 123 4567 89' } })
    expect(meanwhile.status, meanwhile.text).toBe(200)
    await page.getByTestId('settings-address').fill('1 High Street\nLondon')
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-conflict')).toContainText('Someone else changed these settings')
    await page.getByTestId('settings-reload').click()
    await expect(page.getByTestId('settings-conflict')).toBeHidden()
    await expect(page.getByTestId('settings-tax-number')).toHaveValue('GB 123 4567 89')
    await expect(page.getByTestId('settings-address')).toHaveValue('')
    const settings = await tenant.asOwner.get('/api/v1/settings')
    expect(settings.body).toMatchObject({ dateFormat: 'DD/MM/YYYY', negativeStyle: 'parentheses', taxNumber: 'GB 123 4567 89', address: null })
  })

  test('a member without settings:manage reads them, and cannot change them', async ({ page }) => {
    const viewer = { email: `viewer@${tenant.slug}.test`, name: 'Vic Viewer', password: `Viewer-${Date.now().toString(36)}-pw!` }
    const invited = await tenant.asOwner.post('/api/v1/users', { json: { email: viewer.email, name: viewer.name, roles: ['viewer'] } })
    expect(invited.status, invited.text).toBe(201)
    const token = (await mailedLinkPath('invitation', viewer.email)).split('/').pop()
    const accepted = await requestJson(e2eContext().port, tenant.host, 'POST', `/api/v1/invitations/${token}/accept`, { json: { password: viewer.password } })
    expect(accepted.status, accepted.text).toBe(200)

    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, viewer.email, viewer.password)
    await page.getByTestId('nav-settings-organisation').click()
    await expect(page.getByTestId('settings-readonly')).toBeVisible()
    await expect(page.getByTestId('settings-name')).toHaveValue('Settings & Sons')
    await expect(page.getByTestId('settings-name')).toHaveAttribute('readonly')
    await expect(page.getByTestId('settings-save')).toHaveCount(0)
  })

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

    test('the settings page fits 390 px', async ({ page }, testInfo) => {
      await page.goto(tenantUrl(tenant.slug, '/login'))
      await signIn(page, tenant.owner.email, tenant.owner.password)
      await page.goto(tenantUrl(tenant.slug, '/settings/organisation'))
      await expect(page.getByTestId('settings-name')).toBeVisible()
      expect(await overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, 'settings-phone')
    })
  })
})
