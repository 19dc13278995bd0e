import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { requestJson } from './support/http'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant } from './support/tenants'

// Read inside each test: the file is also loaded to list the tests, before the global setup has run.

test.describe('report exports', () => {
  test('an owner exports the general ledger as a job, watches it finish, downloads it and is notified', async ({ page }, testInfo) => {
    // A tenant of its own: these postings must not move the figures the ledger tests expect on acme.
    const { port } = e2eContext()
    const tenant = await createOwnTenant('exports', 'Export Works')
    const host = `${tenant.slug}.localhost:${port}`
    const login = await requestJson(port, host, 'POST', '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
    expect(login.status, login.text).toBe(200)
    const token = login.body.accessToken as string

    // Two posted entries on 1000 Cash, with a memo this run can recognise in the file.
    const memo = `Export check ${randomBytes(3).toString('hex')}`
    for (const [date, amount] of [['2026-11-05', '125.00'], ['2026-11-06', '75.50']] as const) {
      const res = await requestJson(port, host, 'POST', '/api/v1/journal-entries', {
        token, json: { date, memo, post: true, lines: [{ accountCode: '1000', debit: amount }, { accountCode: '3000', credit: amount }] },
      })
      expect(res.status, res.text).toBe(201)
    }
    const accounts = await requestJson(port, host, 'GET', '/api/v1/accounts?q=1000&pageSize=200', { token })
    const cash = (accounts.body.data as { id: string, code: string }[]).find(a => a.code === '1000')!

    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, `/reports/general-ledger?accountId=${cash.id}&from=2026-11-01&to=2026-11-30`))
    await expect(page.getByText(memo).first()).toBeVisible()

    // The general ledger's CSV button queues a job and shows it until the file is ready.
    await page.getByTestId('export-csv').click()
    const job = page.getByTestId('export-job')
    await expect(job).toBeVisible()
    await expect(job).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
    await screenshot(page, testInfo, 'exports-general-ledger-job')

    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-download').click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe('general-ledger-1000-2026-11-01-to-2026-11-30.csv')
    const text = readFileSync((await download.path())!, 'utf8')
    expect(text.split('\r\n')[0]).toBe('Date,Number,Memo,Debit,Credit,Balance')
    expect(text).toContain(`2026-11-05,`)
    expect(text).toContain(`,${memo},125.00,0.00,`)
    expect(text).toContain('Closing balance')

    // The exports page lists it as ready, with its file.
    await page.getByTestId('nav-reports-exports').click()
    await expect(page).toHaveURL(/\/reports\/exports$/)
    const row = page.getByTestId('export-row').first()
    await expect(row).toHaveAttribute('data-status', 'done')
    await expect(row).toContainText('General ledger · CSV')
    await expect(row.getByTestId('export-download')).toContainText('general-ledger-1000-2026-11-01-to-2026-11-30.csv')

    // The bell carries the "ready" notification, linking to the exports page.
    await page.getByTestId('notification-bell').click()
    await expect(page.getByTestId('notification-menu').getByTestId('notification-item').filter({ hasText: 'General ledger export is ready' }).first()).toBeVisible()
    await screenshot(page, testInfo, 'exports-page-notified')
  })
})
