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

    // A click before the page has hydrated opens nothing: click until the dialog shows.
    const dialog = page.getByTestId('schedule-dialog')
    await expect(async () => {
      await page.getByTestId('schedules-add').click()
      await expect(dialog).toBeVisible({ timeout: 1_000 })
    }).toPass()
    await dialog.getByTestId('schedule-name').fill(name)
    // A cron expression that is not one is refused beside its field, before anything is sent.
    await dialog.getByTestId('schedule-frequency').click()
    await page.getByRole('option', { name: 'Custom (cron)' }).click()
    await expect(dialog.getByTestId('schedule-cron')).toHaveValue('0 7 1 * *')
    await dialog.getByTestId('schedule-cron').fill('0 7 1 *')
    await dialog.getByTestId('schedule-save').click()
    await expect(dialog.getByText(/must have 5 fields/i)).toBeVisible()

    // The picker writes the cron: monthly on the 2nd at 06:30, London time.
    await dialog.getByTestId('schedule-frequency').click()
    await page.getByRole('option', { name: 'Monthly' }).click()
    await dialog.getByTestId('schedule-day').click()
    await page.getByRole('option', { name: '2nd', exact: true }).click()
    await dialog.getByTestId('schedule-time').fill('06:30')
    const timezone = dialog.getByTestId('schedule-timezone')
    await timezone.click()
    await timezone.press('ControlOrMeta+a')
    await timezone.pressSequentially('Europe/Lond')
    await page.getByRole('option', { name: 'Europe/London', exact: true }).click()
    await expect(dialog.getByTestId('schedule-summary')).toHaveText('Monthly on the 2nd at 06:30 (Europe/London)')
    await dialog.getByTestId('schedule-recipients').fill('cfo@example.test')
    await dialog.getByTestId('schedule-recipients').press('Enter')
    await screenshot(page, testInfo, 'report-schedule-dialog')
    const saved = page.waitForResponse(r => r.url().includes('/api/v1/report-schedules') && r.request().method() === 'POST')
    await dialog.getByTestId('schedule-save').click()
    expect((await (await saved).json()).cron).toBe('30 6 2 * *')
    await expect(dialog).toBeHidden()

    const row = page.locator(`[data-testid="schedule-row"][data-name="${name}"]`)
    await expect(row).toBeVisible()
    await expect(row.getByTestId('schedule-when')).toHaveText('Monthly on the 2nd at 06:30 (Europe/London)')
    await expect(row).toContainText('cfo@example.test')
    await screenshot(page, testInfo, 'report-schedules-list')

    // Opened again, the picker reads the cron back.
    await row.getByTestId('schedule-edit').click()
    await expect(dialog.getByTestId('schedule-frequency')).toContainText('Monthly')
    await expect(dialog.getByTestId('schedule-day')).toContainText('2nd')
    await expect(dialog.getByTestId('schedule-time')).toHaveValue('06:30')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()

    // Paused: no next run.
    await row.getByTestId('schedule-enabled').locator('input').click()
    await expect(page.getByText(`“${name}” is paused.`)).toBeVisible()
    await expect(row.locator('td').nth(3)).toHaveText('—')

    await row.getByTestId('schedule-delete').click()
    await page.getByTestId('schedule-delete-dialog').getByRole('button', { name: 'Delete' }).click()
    await expect(row).toBeHidden()
  })
})
