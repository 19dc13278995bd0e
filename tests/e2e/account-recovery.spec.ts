import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { screenshot } from './support/pages'

// The browser-test server has no SMTP_URL (mail is held in the outbox), so these cover the pages
// an anonymous visitor reaches from the sign-in form and from e-mailed links; the flows behind
// the links are covered end to end by tests/api/mail.test.ts.

test.describe('account recovery and invitations, signed out', () => {
  test('leads from the sign-in form to "Forgot password?" and answers the same for any address', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await page.getByTestId('login-forgot-password').click()
    await expect(page).toHaveURL(tenantUrl(tenant.slug, '/forgot-password'))

    await page.getByTestId('forgot-password-email').fill(`nobody-${randomBytes(3).toString('hex')}@acme.test`)
    await page.getByTestId('forgot-password-submit').click()
    await expect(page.getByTestId('forgot-password-sent')).toContainText('If the address belongs to an account here')
    await screenshot(page, testInfo, 'forgot-password-sent')
  })

  test('shows an unknown invitation link as not valid, without asking to sign in', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    const response = await page.goto(tenantUrl(tenant.slug, `/invitation/${randomBytes(32).toString('base64url')}`))
    expect(response?.status()).toBe(200)
    await expect(page).toHaveURL(/\/invitation\//)
    await expect(page.getByTestId('invitation-invalid')).toBeVisible()
    await screenshot(page, testInfo, 'invitation-invalid')
  })

  test('refuses an unknown reset link on submit and offers a new one', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, `/reset-password/${randomBytes(32).toString('base64url')}`))
    await expect(page).toHaveURL(/\/reset-password\//)
    const password = `Pw-${randomBytes(9).toString('base64url')}`
    await page.getByTestId('reset-password-new').fill(password)
    await page.getByTestId('reset-password-confirmation').fill(password)
    await page.getByTestId('reset-password-submit').click()
    await expect(page.getByTestId('reset-password-invalid')).toBeVisible()
    await screenshot(page, testInfo, 'reset-password-invalid')
  })

  test('shows a fixed notice on the sign-in page after a reset, never the query text itself', async ({ page }) => {
    const { tenant } = e2eContext()
    await page.goto(tenantUrl(tenant.slug, '/login?notice=password-reset'))
    await expect(page.getByTestId('login-notice')).toContainText('Your password has been changed')
    await page.goto(tenantUrl(tenant.slug, '/login?notice=%3Cb%3Ehi%3C/b%3E'))
    await expect(page.getByTestId('login-email')).toBeVisible()
    await expect(page.getByTestId('login-notice')).toHaveCount(0)
  })
})
