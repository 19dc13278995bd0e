import { expect, test, type Locator, type Page } from '@playwright/test'
import { DATE_FORMATS, formatDate } from '../../shared/format'
import { JPEG_48x16, pngImage } from '../support/images'
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

  test('shows the base currency and fiscal year read-only; the owner uploads, replaces and removes the logo with a preview, keeping unsaved edits', async ({ page }, testInfo) => {
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.getByTestId('nav-settings-organisation').click()
    await expect(page.getByTestId('settings-base-currency')).toHaveValue('USD — US Dollar')
    await expect(page.getByTestId('settings-base-currency')).toHaveAttribute('readonly')
    await expect(page.getByTestId('settings-fiscal-year-start')).toHaveValue('January')
    await expect(page.getByTestId('settings-logo-preview')).toContainText('No logo')

    // An edit not yet saved survives the upload; the save after it is made against the new version.
    await page.getByTestId('settings-address').fill('2 Logo Lane')
    await page.getByTestId('settings-logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: pngImage(240, 80) })
    await expect(page.getByText('Logo saved.')).toBeVisible()
    await expectPreview(page.getByTestId('settings-logo-image'), 240, 80)
    await expect(page.getByTestId('settings-address')).toHaveValue('2 Logo Lane')
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, testInfo, 'settings-logo-desktop')
    await page.getByTestId('settings-save').click()
    await expect(page.getByText('Settings saved.')).toBeVisible()
    const saved = await tenant.asOwner.get('/api/v1/settings')
    expect(saved.body).toMatchObject({ address: '2 Logo Lane', logoFileId: expect.any(String) })

    // Replaced by a JPEG: the preview follows.
    await page.getByTestId('settings-logo-file').setInputFiles({ name: 'logo.jpg', mimeType: 'image/jpeg', buffer: JPEG_48x16 })
    await expectPreview(page.getByTestId('settings-logo-image'), 48, 16)
    expect((await tenant.asOwner.get('/api/v1/settings')).body.logoFileId).not.toBe(saved.body.logoFileId)

    // Refused in the browser, in the server's words, before anything is sent.
    await page.getByTestId('settings-logo-file').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') })
    await expect(page.getByTestId('settings-logo-error')).toHaveText('The logo must be a PNG or JPEG image.')
    const big = pngImage(10, 10, { padding: 600 * 1024 })
    await page.getByTestId('settings-logo-file').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big })
    await expect(page.getByTestId('settings-logo-error')).toHaveText(`The logo is ${Math.ceil(big.length / 1024)} KB; it can be at most 512 KB.`)
    // What the browser cannot tell (a PNG name on damaged bytes) the server refuses, and the page says why.
    await page.getByTestId('settings-logo-file').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: pngImage(20, 20).subarray(0, 60) })
    await expect(page.getByTestId('settings-logo-error')).toContainText('The logo image is damaged or not usable')
    await expectPreview(page.getByTestId('settings-logo-image'), 48, 16)

    await page.getByTestId('settings-logo-remove').click()
    await expect(page.getByText('Logo removed.')).toBeVisible()
    await expect(page.getByTestId('settings-logo-preview')).toContainText('No logo')
    expect((await tenant.asOwner.get('/api/v1/settings')).body.logoFileId).toBeNull()
  })

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

    test('the settings page fits 390 px, with the logo uploaded and previewed', async ({ page }, testInfo) => {
      await page.goto(tenantUrl(tenant.slug, '/login'))
      await signIn(page, tenant.owner.email, tenant.owner.password)
      await page.goto(tenantUrl(tenant.slug, '/settings/organisation'))
      await expect(page.getByTestId('settings-name')).toBeVisible()
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, 'settings-phone')
      // A wide logo: the preview keeps within the card.
      await page.getByTestId('settings-logo-file').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: pngImage(1200, 150) })
      await expectPreview(page.getByTestId('settings-logo-image'), 1200, 150)
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await page.getByTestId('settings-logo-preview').scrollIntoViewIfNeeded()
      await screenshot(page, testInfo, 'settings-logo-phone')
    })

    test('date fields show a whole date in every date format, on a report and in the journal editor', async ({ page }, testInfo) => {
      await page.goto(tenantUrl(tenant.slug, '/login'))
      await signIn(page, tenant.owner.email, tenant.owner.password)
      for (const dateFormat of DATE_FORMATS) {
        const changed = await tenant.asOwner.patch('/api/v1/settings', { json: { dateFormat } })
        expect(changed.status, changed.text).toBe(200)
        const shown = formatDate('2026-11-30', dateFormat)

        await page.goto(tenantUrl(tenant.slug, '/reports/income-statement?from=2026-11-01&to=2026-11-30'))
        await expect(page.getByTestId('report-to')).toHaveValue(shown)
        await expectWholeText(page.getByTestId('report-from'), formatDate('2026-11-01', dateFormat))
        await expectWholeText(page.getByTestId('report-to'), shown)

        await page.goto(tenantUrl(tenant.slug, '/ledger/journal/new'))
        await page.getByTestId('entry-date').fill(shown)
        await page.getByTestId('entry-memo').click()
        await expectWholeText(page.getByTestId('entry-date'), shown)
        await expect.poll(() => overflowsHorizontally(page)).toBe(false)
        if (dateFormat === 'D MMM YYYY') {
          await page.goto(tenantUrl(tenant.slug, '/reports/income-statement?from=2026-11-01&to=2026-11-30'))
          await expect(page.getByTestId('report-to')).toHaveValue(shown)
          await screenshot(page, testInfo, 'report-dates-phone')
        }
      }
    })
  })
})

/** The logo preview shows the image (loaded, not broken) at the size the upload has. */
async function expectPreview(image: Locator, width: number, height: number) {
  await expect(image).toBeVisible()
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete ? `${img.naturalWidth}x${img.naturalHeight}` : 'loading')).toBe(`${width}x${height}`)
  const box = (await image.boundingBox())!
  expect(box.x + box.width).toBeLessThanOrEqual(image.page().viewportSize()!.width)
}

/** The input shows `text` whole: its value is that text and it needs no sideways scrolling to show it. */
async function expectWholeText(input: Locator, text: string) {
  await expect(input).toHaveValue(text)
  const fit = await input.evaluate((el: HTMLInputElement) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }))
  expect(fit.scrollWidth, `"${text}" in a ${fit.clientWidth} px input`).toBeLessThanOrEqual(fit.clientWidth)
}
