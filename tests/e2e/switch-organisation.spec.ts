/**
 * The organisation switcher (server/domain/identity/handoff.ts): a person who belongs to two
 * organisations picks the other one in the account menu and lands on its dashboard, on its own
 * host, signed in, without typing the password again; at desktop and phone sizes.
 */
import { expect, test, type Page } from '@playwright/test'
import { send, type TestTenant } from '../support/http'
import { e2eContext, tenantUrl } from './support/context'
import { mailedLinkPath } from './support/mail'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant } from './support/tenants'

/** The owner of `from` joins `to` as a viewer, accepting the invitation with their own password. */
async function join(from: TestTenant, to: TestTenant) {
  const invited = await to.asOwner.post('/api/v1/users', { json: { email: from.owner.email, roles: ['viewer'] } })
  expect(invited.status, invited.text).toBe(201)
  const path = await mailedLinkPath('invitation', from.owner.email)
  const target = { baseUrl: `http://127.0.0.1:${e2eContext().port}` }
  const accepted = await send(target, 'POST', to.host, `/api/v1${path.replace('/invitation/', '/invitations/')}/accept`, { json: { password: from.owner.password } })
  expect(accepted.status, accepted.text).toBe(200)
}

async function switchFromMenu(page: Page, home: TestTenant, other: TestTenant, otherName: string) {
  await page.goto(tenantUrl(home.slug, '/login'))
  await signIn(page, home.owner.email, home.owner.password)
  await expect(page).toHaveURL(tenantUrl(home.slug, '/'))
  await page.getByTestId('user-menu').click()
  const organisations = page.getByTestId('user-menu-organisations')
  await expect(organisations).toContainText(otherName)
  await expect(page.getByTestId(`switch-organisation-${home.slug}`)).toHaveAttribute('aria-current', 'true')
  await page.getByTestId(`switch-organisation-${other.slug}`).click()

  // On the other organisation's host, its dashboard, signed in: no sign-in page, no token left in the address.
  await expect(page).toHaveURL(tenantUrl(other.slug, '/'))
  await expect(page.getByRole('banner').getByTestId('tenant-name')).toHaveText(otherName)
  expect(new URL(page.url()).hash).toBe('')
  // The session is this host's own (its cookies): a reload stays signed in.
  await page.reload()
  await expect(page).toHaveURL(tenantUrl(other.slug, '/'))
  await expect(page.getByRole('banner').getByTestId('tenant-name')).toHaveText(otherName)
}

test.describe('a person in two organisations', () => {
  test('switches from the account menu and lands signed in on the other one (desktop)', async ({ page }, testInfo) => {
    const home = await createOwnTenant('swh', 'Switch Home Ltd', 'Sasha Switch')
    const other = await createOwnTenant('swo', 'Switch Other Ltd')
    await join(home, other)
    await switchFromMenu(page, home, other, 'Switch Other Ltd')
    await page.getByTestId('user-menu').click()
    await expect(page.getByTestId(`switch-organisation-${other.slug}`)).toHaveAttribute('aria-current', 'true')
    await screenshot(page, testInfo, 'switch-organisation-menu')
  })

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

    test('switches from the account menu at 390 × 844', async ({ page }, testInfo) => {
      const home = await createOwnTenant('swph', 'Phone Home Ltd', 'Pat Phone')
      const other = await createOwnTenant('swpo', 'Phone Other Ltd')
      await join(home, other)
      await switchFromMenu(page, home, other, 'Phone Other Ltd')
      await page.getByTestId('user-menu').click()
      await expect(page.getByTestId(`switch-organisation-${home.slug}`)).toBeInViewport()
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      await screenshot(page, testInfo, 'switch-organisation-menu-phone')
    })
  })

  test('a spent or missing sign-in link shows a way to sign in with the password', async ({ page }) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, `/handoff#token=${'A'.repeat(43)}`))
    await expect(page.getByTestId('handoff-error')).toContainText('expired or was already used')
    expect(new URL(page.url()).hash).toBe('')
    await page.getByTestId('handoff-login').click()
    await expect(page).toHaveURL(tenantUrl(tenant.slug, '/login'))
  })
})
