import { randomBytes } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { adminUrl, e2eContext, tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'

/** Suspends or reactivates the tenant open on its detail page, through the confirmation dialog. */
async function changeStatus(page: Page, button: 'tenant-suspend' | 'tenant-reactivate') {
  await page.getByTestId(button).click()
  const confirm = page.getByTestId('tenant-status-dialog')
  await expect(confirm).toBeVisible()
  await confirm.getByTestId('tenant-status-accept').click()
  await expect(confirm).toBeHidden()
}

test('a platform admin creates a tenant, suspends it and reactivates it', async ({ page, context }, testInfo) => {
  const { admin, tenant: acme } = e2eContext()
  const created = {
    slug: `e2e-${randomBytes(3).toString('hex')}`,
    name: 'Globex Trading',
    owner: { email: `owner-${randomBytes(3).toString('hex')}@globex.test`, name: 'Gary Globex', password: `Globex-${randomBytes(9).toString('base64url')}` },
  }

  await test.step('signs in to the back-office and sees the tenants table', async () => {
    await page.goto(adminUrl('/admin/login'))
    await signIn(page, admin.email, admin.password)
    await expect(page).toHaveURL(adminUrl('/admin/tenants'))
    const table = page.getByTestId('tenants-table')
    await expect(table).toHaveClass(/v-data-table/)
    await expect(table.getByRole('columnheader', { name: 'Organisation' })).toBeVisible()
    await expect(table.locator(`[data-testid="tenant-row"][data-slug="${acme.slug}"]`)).toContainText(acme.name)
    await screenshot(page, testInfo, 'admin-tenants')
  })

  await test.step('creates a tenant through the dialog', async () => {
    await page.getByTestId('tenant-new').click()
    const dialog = page.getByTestId('tenant-dialog')
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('tenant-name').fill(created.name)
    await dialog.getByTestId('tenant-slug').fill(created.slug)
    await dialog.getByTestId('tenant-owner-name').fill(created.owner.name)
    await dialog.getByTestId('tenant-owner-email').fill(created.owner.email)
    await dialog.getByTestId('tenant-owner-password').fill(created.owner.password)
    await dialog.getByTestId('tenant-save').click()
    await expect(dialog).toBeHidden()
    const row = page.locator(`[data-testid="tenant-row"][data-slug="${created.slug}"]`)
    await expect(row).toContainText(created.name)
    await expect(row.getByTestId('tenant-status-active')).toBeVisible()
  })

  await test.step('opens its detail page', async () => {
    await page.getByRole('link', { name: new RegExp(created.name) }).click()
    await expect(page).toHaveURL(/\/admin\/tenants\/[0-9a-f-]{36}$/)
    await expect(page.getByRole('heading', { name: created.name })).toBeVisible()
    await expect(page.getByTestId('tenant-details')).toContainText(created.slug)
  })

  const tenantPage = await context.newPage()

  await test.step('suspends it: its sign-in page answers 403 with the suspended message', async () => {
    await changeStatus(page, 'tenant-suspend')
    await expect(page.getByTestId('tenant-suspended-banner')).toBeVisible()
    await expect(page.getByTestId('tenant-reactivate')).toBeVisible()

    const response = await tenantPage.goto(tenantUrl(created.slug, '/login'))
    expect(response?.status()).toBe(403)
    await expect(tenantPage.getByRole('heading', { name: 'This organisation is suspended' })).toBeVisible()
    await expect(tenantPage.getByTestId('login-email')).toHaveCount(0)
  })

  await test.step('reactivates it: its owner can sign in again', async () => {
    await changeStatus(page, 'tenant-reactivate')
    await expect(page.getByTestId('tenant-suspended-banner')).toBeHidden()
    await expect(page.getByTestId('tenant-suspend')).toBeVisible()

    const response = await tenantPage.goto(tenantUrl(created.slug, '/login'))
    expect(response?.status()).toBe(200)
    await signIn(tenantPage, created.owner.email, created.owner.password)
    await expect(tenantPage.getByRole('banner').getByTestId('tenant-name')).toHaveText(created.name)
  })
})
