import { expect, test } from '@playwright/test'
import { adminUrl, e2eContext, tenantUrl } from './support/context'
import { requestJson } from './support/http'
import { screenshot, signIn } from './support/pages'

test('the bell shows a finished export live, and opening it marks it read', async ({ page }, testInfo) => {
  const { port, tenant } = e2eContext()
  const host = `${tenant.slug}.localhost:${port}`

  await page.goto(tenantUrl(tenant.slug, '/login'))
  await signIn(page, tenant.owner.email, tenant.owner.password)
  const bell = page.getByTestId('notification-bell')
  await expect(bell).toBeVisible()
  // Start from nothing unread, whatever earlier tests left.
  await bell.click()
  const menu = page.getByTestId('notification-menu')
  await expect(menu).toBeVisible()
  const readAll = menu.getByTestId('notification-read-all')
  if (await readAll.isEnabled()) await readAll.click()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('notification-badge').locator('.v-badge__badge')).toBeHidden()

  // The stream is open once the page has loaded; the export is requested from another client.
  await page.waitForTimeout(500)
  const session = await requestJson(port, host, 'POST', '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
  const created = await requestJson(port, host, 'POST', '/api/v1/exports', { token: session.body.accessToken, json: { report: 'trial-balance', format: 'csv', params: {} } })
  expect(created.status, created.text).toBe(202)

  const badge = page.getByTestId('notification-badge').locator('.v-badge__badge')
  await expect(badge).toHaveText('1', { timeout: 30_000 })
  await bell.click()
  const item = menu.getByTestId('notification-item').first()
  await expect(item).toHaveClass(/notification--unread/)
  await screenshot(page, testInfo, 'notification-bell')
  await item.click()
  await expect(badge).toBeHidden()
})

test('the back-office shows queue counts, the mail outbox and a live worker', async ({ page }, testInfo) => {
  const { admin } = e2eContext()
  await page.goto(adminUrl('/admin/login'))
  await signIn(page, admin.email, admin.password)

  await page.getByRole('link', { name: 'Queues' }).click()
  await expect(page).toHaveURL(adminUrl('/admin/queues'))
  const counts = page.getByTestId('queue-counts')
  for (const name of ['exports', 'bank-imports', 'scheduled-reports', 'mail', 'receivables', 'maintenance']) await expect(counts).toContainText(name)
  await expect(page.getByTestId('failed-jobs')).toBeVisible()
  await screenshot(page, testInfo, 'admin-queues')

  await page.getByRole('link', { name: 'Mail outbox' }).click()
  await expect(page).toHaveURL(adminUrl('/admin/outbox'))
  await expect(page.getByTestId('outbox-table')).toBeVisible()
  await screenshot(page, testInfo, 'admin-outbox')

  await page.getByRole('link', { name: 'System health' }).click()
  await expect(page).toHaveURL(adminUrl('/admin/health'))
  await expect(page.getByTestId('health-worker').first()).toBeVisible()
  await expect(page.getByTestId('health-no-worker')).toHaveCount(0)
  await screenshot(page, testInfo, 'admin-health')
})
