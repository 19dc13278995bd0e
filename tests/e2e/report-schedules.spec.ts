import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'

test.describe('scheduled reports', () => {
  test('an owner schedules a report, sees its next run, pauses it and deletes it', async ({ page }, testInfo) => {
    const { tenant } = e2eContext()
    const name = `Board pack ${randomBytes(3).toString('hex')}`
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, '/reports/schedules'))
    await expect(page.getByRole('heading', { name: 'Scheduled reports' })).toBeVisible()

    await page.getByTestId('schedules-add').click()
    const dialog = page.getByTestId('schedule-dialog')
    await dialog.getByTestId('schedule-name').fill(name)
    // A cron expression that is not one is refused beside its field, before anything is sent.
    await dialog.getByTestId('schedule-cron').fill('0 7 1 *')
    await dialog.getByTestId('schedule-save').click()
    await expect(dialog.getByText(/must have 5 fields/i)).toBeVisible()
    await dialog.getByTestId('schedule-cron').fill('0 7 1 * *')
    await dialog.getByTestId('schedule-recipients').fill('cfo@example.test')
    await dialog.getByTestId('schedule-recipients').press('Enter')
    await screenshot(page, testInfo, 'report-schedule-dialog')
    await dialog.getByTestId('schedule-save').click()
    await expect(dialog).toBeHidden()

    const row = page.locator(`[data-testid="schedule-row"][data-name="${name}"]`)
    await expect(row).toBeVisible()
    await expect(row).toContainText('0 7 1 * *')
    await expect(row).toContainText('cfo@example.test')
    await screenshot(page, testInfo, 'report-schedules-list')

    // Paused: no next run.
    await row.getByTestId('schedule-enabled').locator('input').click()
    await expect(page.getByText(`“${name}” is paused.`)).toBeVisible()
    await expect(row.locator('td').nth(3)).toHaveText('—')

    await row.getByTestId('schedule-delete').click()
    await page.getByTestId('schedule-delete-dialog').getByRole('button', { name: 'Delete' }).click()
    await expect(row).toBeHidden()
  })
})
