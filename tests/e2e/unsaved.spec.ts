import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/*
 * No lost work: the entry editor asks before an edited entry is left (a link, the back button,
 * closing the tab), and never when nothing changed or the entry was just saved. And a reversal
 * offers no Reverse of its own.
 */

let tenant: OwnTenant

test.beforeAll(async () => {
  tenant = await createOwnTenant('unsaved', 'Unsaved Work Ltd')
})

async function openAsOwner(page: Page, path: string) {
  await page.goto(tenantUrl(tenant.slug, '/login'))
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(tenantUrl(tenant.slug, path))
}

/** Whether the page would ask before unloading (what the browser's own prompt is based on). */
function asksBeforeUnload(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(event)
    return event.defaultPrevented
  })
}

test.describe('unsaved changes', () => {
  test('a new entry with something typed asks before it is left: cancel stays, discard leaves', async ({ page }, testInfo) => {
    await openAsOwner(page, '/ledger/journal/new')
    await expect(page.getByTestId('line-account-0')).toBeVisible()
    expect(await asksBeforeUnload(page)).toBe(false)

    await page.getByTestId('entry-memo').click()
    await page.keyboard.type('Half-typed accrual')
    expect(await asksBeforeUnload(page)).toBe(true)

    // A link away asks; cancel keeps the page and what was typed.
    await page.getByTestId('nav-ledger-journal').click()
    const dialog = page.getByTestId('entry-leave-dialog')
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('Discard your changes?')
    await screenshot(page, testInfo, 'unsaved-leave-dialog')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    await expect(page).toHaveURL(/\/ledger\/journal\/new$/)
    await expect(page.getByTestId('entry-memo')).toHaveValue('Half-typed accrual')

    // The browser's own prompt guards closing the tab; dismissing it keeps the page.
    const prompt = new Promise<string>(resolve => page.once('dialog', (d) => {
      resolve(d.type())
      void d.dismiss()
    }))
    await page.close({ runBeforeUnload: true })
    expect(await prompt).toBe('beforeunload')
    expect(page.isClosed()).toBe(false)

    // The editor's own Cancel asks too; discarding leaves.
    await page.getByRole('link', { name: 'Cancel' }).click()
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('entry-leave-accept').click()
    await expect(page).toHaveURL(/\/ledger\/journal$/)
    await expect(dialog).toBeHidden()
  })

  test('an unchanged form leaves without asking, and so does a saved one', async ({ page }) => {
    await openAsOwner(page, '/ledger/journal/new')
    await expect(page.getByTestId('line-account-0')).toBeVisible()
    await page.getByTestId('nav-ledger-journal').click()
    await expect(page).toHaveURL(/\/ledger\/journal$/)
    await expect(page.getByTestId('entry-leave-dialog')).toHaveCount(0)

    // Typed, then put back as it was: nothing to lose.
    await page.getByTestId('journal-new').click()
    await page.getByTestId('entry-memo').fill('Second thoughts')
    await page.getByTestId('entry-memo').fill('')
    expect(await asksBeforeUnload(page)).toBe(false)

    // Saved as a draft: the editor leaves for the entry's page without asking.
    await page.getByTestId('entry-memo').fill('Office supplies')
    await page.getByTestId('line-account-0').fill('6100')
    await page.getByTestId('line-account-0').press('Enter')
    await page.keyboard.type('75')
    await page.getByTestId('line-account-1').fill('1010')
    await page.getByTestId('line-account-1').press('Enter')
    await page.keyboard.press('Enter')
    await page.keyboard.type('75')
    await page.getByTestId('entry-save').click()
    await expect(page).toHaveURL(/\/ledger\/journal\/[0-9a-f-]{36}$/)
    await expect(page.getByTestId('entry-status-draft')).toBeVisible()
    await expect(page.getByTestId('entry-leave-dialog')).toHaveCount(0)
    const draftUrl = page.url()

    // Editing the draft: amounts tidied on leaving a cell ("75" → "75.00") are no change.
    await page.getByTestId('entry-edit').click()
    await expect(page).toHaveURL(/\/edit$/)
    await page.getByTestId('line-debit-0').click()
    await page.getByTestId('line-debit-0').press('Tab')
    expect(await asksBeforeUnload(page)).toBe(false)
    await page.getByRole('link', { name: 'Cancel' }).click()
    await expect(page).toHaveURL(draftUrl)
    await expect(page.getByTestId('entry-leave-dialog')).toHaveCount(0)
  })

  test('an edited draft asks on the back button; saving it leaves without asking', async ({ page }) => {
    const created = await tenant.asOwner.post('/api/v1/journal-entries', {
      json: { date: '2026-02-03', memo: 'Courier', lines: [{ accountCode: '6100', debit: '20.00' }, { accountCode: '1010', credit: '20.00' }] },
    })
    expect(created.status, created.text).toBe(201)
    await openAsOwner(page, `/ledger/journal/${created.body.id}`)
    await page.getByTestId('entry-edit').click()
    await expect(page).toHaveURL(/\/edit$/)
    await page.getByTestId('entry-memo').fill('Courier to the auditors')

    await page.goBack()
    const dialog = page.getByTestId('entry-leave-dialog')
    await expect(dialog).toBeVisible()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(page).toHaveURL(/\/edit$/)
    await expect(page.getByTestId('entry-memo')).toHaveValue('Courier to the auditors')

    await page.getByTestId('entry-save').click()
    await expect(page).toHaveURL(new RegExp(`/ledger/journal/${created.body.id}$`))
    await expect(page.getByRole('heading', { name: /journal entry/i })).toBeVisible()
    await expect(page.getByText('Courier to the auditors').first()).toBeVisible()
    await expect(dialog).toHaveCount(0)
  })
})

test.describe('reversals', () => {
  test('a reversal offers no Reverse; the entry it reverses neither; a posted entry does', async ({ page }, testInfo) => {
    const post = (memo: string) => tenant.asOwner.post('/api/v1/journal-entries', {
      json: { date: '2026-02-10', memo, post: true, lines: [{ accountCode: '6100', debit: '40.00' }, { accountCode: '1010', credit: '40.00' }] },
    })
    const original = await post('Parking, booked twice')
    expect(original.status, original.text).toBe(201)
    const reversal = await tenant.asOwner.post(`/api/v1/journal-entries/${original.body.id}/reverse`, { json: {} })
    expect(reversal.status, reversal.text).toBe(201)
    const other = await post('Parking')
    expect(other.status, other.text).toBe(201)

    await openAsOwner(page, `/ledger/journal/${reversal.body.id}`)
    await expect(page.getByTestId('entry-reversal-of')).toBeVisible()
    await expect(page.getByTestId('entry-status-posted')).toBeVisible()
    await expect(page.getByTestId('entry-reverse')).toHaveCount(0)
    await screenshot(page, testInfo, 'unsaved-reversal-entry')

    await page.getByTestId('entry-reversal-of').click()
    await expect(page.getByTestId('entry-reversed-by')).toBeVisible()
    await expect(page.getByTestId('entry-reverse')).toHaveCount(0)

    await page.goto(tenantUrl(tenant.slug, `/ledger/journal/${other.body.id}`))
    await expect(page.getByTestId('entry-reverse')).toBeVisible()
  })
})
