import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { mailedLinkPath } from './support/mail'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'

// Read inside each test: the file is also loaded to list the tests, before the global setup has run.

test.describe('a tenant owner on the desktop', () => {
  test('gets the sign-in form in the server-rendered HTML', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    const response = await page.goto(tenantUrl(tenant.slug, '/login'))
    expect(response?.status()).toBe(200)
    const html = await response!.text()
    expect(html).toContain(`Sign in to ${tenant.name}`)
    expect(html).toMatch(/<form[^>]*method="post"/)
    expect(html).toMatch(/<input[^>]*name="email"/)
    expect(html).toMatch(/<input[^>]*name="password"/)
    expect(html).toContain('data-testid="login-submit"')

    await expect(page.getByTestId('login-email')).toBeVisible()
    await expect(page.getByTestId('login-submit')).toBeEnabled()
    await screenshot(page, testInfo, 'tenant-login')
  })

  test('signs in, sees the shell and invites a viewer under Settings → Users & roles, who joins from the e-mailed link', async ({ page, browser }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    await expect(page).toHaveURL(tenantUrl(tenant.slug, '/'))
    await expect(page.getByRole('banner').getByTestId('tenant-name')).toHaveText(tenant.name)
    const navigation = page.getByRole('navigation').filter({ has: page.getByTestId('nav-settings-users') })
    await expect(navigation).toBeVisible()
    await expect(navigation.getByText('Settings', { exact: true })).toBeVisible()
    await screenshot(page, testInfo, 'tenant-shell')

    await navigation.getByTestId('nav-settings-users').click()
    await expect(page).toHaveURL(tenantUrl(tenant.slug, '/settings/users'))
    await expect(page.getByRole('heading', { name: 'Users & roles' })).toBeVisible()
    const ownerRow = page.locator(`[data-testid="user-row"][data-email="${tenant.owner.email}"]`)
    await expect(ownerRow).toBeVisible()

    const viewer = { email: `viewer-${randomBytes(4).toString('hex')}@acme.test`, name: 'Vera Viewer', password: `Viewer-${randomBytes(9).toString('base64url')}` }
    await page.getByTestId('users-add').click()
    const dialog = page.getByRole('dialog').filter({ has: page.getByTestId('user-save') })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByLabel(/password/i)).toHaveCount(0)
    await dialog.getByTestId('user-email').fill(viewer.email)
    await dialog.getByTestId('user-name').fill(viewer.name)
    // The test id is on the select's wrapper; its own input is a sliver under the field, so click
    // the field, as a person would.
    await dialog.getByTestId('user-roles').locator('.v-field').click()
    // Roles of modules that have not landed (purchases) are not offered; sales has landed.
    await expect(page.getByRole('option', { name: /^Accountant/ })).toBeVisible()
    await expect(page.getByRole('option', { name: /^AR clerk/ })).toBeVisible()
    await expect(page.getByRole('option', { name: /^AP clerk/ })).toHaveCount(0)
    await page.getByRole('option', { name: /^Viewer/ }).click()
    // The roles menu stays open for more choices (and covers the dialog's top); Escape closes the menu only.
    await page.keyboard.press('Escape')
    await expect(page.getByRole('option', { name: /^Viewer/ })).toBeHidden()
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('user-save').click()

    await expect(dialog).toBeHidden()
    const row = page.locator(`[data-testid="user-row"][data-email="${viewer.email}"]`)
    await expect(row).toBeVisible()
    await expect(row).toHaveAttribute('data-status', 'invited')
    await expect(row.getByTestId('user-invited')).toBeVisible()
    await expect(row).toContainText(viewer.name)
    await expect(row).toContainText('Viewer')
    await screenshot(page, testInfo, 'tenant-users')

    // The invitee, in a browser of their own, follows the link and chooses a password.
    const invitee = await browser.newPage()
    await invitee.goto(tenantUrl(tenant.slug, await mailedLinkPath('invitation', viewer.email)))
    await expect(invitee.getByTestId('invitation-email')).toContainText(viewer.email)
    await expect(invitee.getByTestId('invitation-name')).toHaveValue(viewer.name)
    await invitee.getByTestId('invitation-password').fill(viewer.password)
    await invitee.getByTestId('invitation-confirmation').fill(viewer.password)
    await invitee.getByTestId('invitation-accept').click()
    await expect(invitee).toHaveURL(/\/login/)
    await signIn(invitee, viewer.email, viewer.password)
    await expect(invitee).toHaveURL(tenantUrl(tenant.slug, '/'))
    await invitee.close()

    await page.reload()
    await expect(row).toHaveAttribute('data-status', 'active')
  })
})

test.describe('someone signing up on the main site', () => {
  test('gets "check your e-mail", then creates the organisation from the link and ends signed in on its dashboard', async ({ page }, testInfo) => {
    const { port } = e2eContext()
    const slug = `su-${Date.now().toString(36)}`
    const founder = { email: `founder@${slug}.test`, name: 'Sam Signup', password: `Signup-${randomBytes(9).toString('base64url')}` }
    await page.goto(`http://localhost:${port}/signup`)
    await page.getByTestId('tenant-name').fill(`Signup ${slug}`)
    await page.getByTestId('tenant-slug').fill(slug)
    await page.getByTestId('tenant-owner-name').fill(founder.name)
    await page.getByTestId('tenant-owner-email').fill(founder.email)
    await expect(page.getByTestId('tenant-owner-password')).toHaveCount(0)
    await page.getByTestId('signup-submit').click()
    await expect(page.getByTestId('signup-pending')).toContainText(founder.email)
    await screenshot(page, testInfo, 'signup-pending')

    await page.goto(`http://localhost:${port}${await mailedLinkPath('signup', founder.email)}`)
    await expect(page.getByTestId('signup-email')).toContainText(founder.email)
    await page.getByTestId('signup-password').fill(founder.password)
    await page.getByTestId('signup-confirmation').fill(founder.password)
    await page.getByTestId('signup-complete').click()
    // No sign-in page: the one-time handoff link signs the owner in on the new host.
    await expect(page).toHaveURL(tenantUrl(slug, '/'))
    await expect(page.getByRole('banner').getByTestId('tenant-name')).toHaveText(`Signup ${slug}`)
    await expect(page.getByTestId('user-menu')).toHaveAttribute('aria-label', `Account menu for ${founder.name}`)
    await screenshot(page, testInfo, 'signup-signed-in')
  })
})

test.describe('a tenant owner on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

  test('can use the sign-in page and the shell at 390 × 844', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    const submit = page.getByTestId('login-submit')
    await expect(page.getByTestId('login-email')).toBeInViewport()
    await expect(submit).toBeInViewport()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'tenant-login-phone')

    await signIn(page, tenant.owner.email, tenant.owner.password)
    const banner = page.getByRole('banner')
    await expect(banner.getByTestId('tenant-name')).toHaveText(tenant.name)
    // On a phone the drawer is an overlay, closed until the menu button opens it.
    const usersLink = page.getByTestId('nav-settings-users')
    await expect(usersLink).not.toBeInViewport()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'tenant-shell-phone')

    await banner.getByRole('button', { name: 'Toggle navigation' }).click()
    // The drawer is taller than a phone: Settings is reached by scrolling it, as a person would.
    await expect(usersLink).toBeAttached()
    await usersLink.scrollIntoViewIfNeeded()
    await expect(usersLink).toBeInViewport()
    await usersLink.click()
    await expect(page).toHaveURL(tenantUrl(tenant.slug, '/settings/users'))
    await expect(page.getByTestId('users-add')).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
  })
})
