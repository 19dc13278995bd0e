import { expect, test, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { keepReceivablesByHand } from '../support/ledger'
import { createOwnTenant } from './support/tenants'
import { screenshot, signIn } from './support/pages'

/*
 * A textbook month, keyed in through the entry editor the way a bookkeeper would (keyboard and the
 * account autocomplete), posted entry by entry, then read back from the report pages to the cent.
 *
 * The tenant is this file's own (created in beforeAll like the global setup creates `acme`), so
 * the shared `acme` tenant's entries dated today cannot move these figures; everything is dated in
 * March 2025, a month in the past.
 *
 * The month (standard chart, plus 1350 Supplies created through the chart-of-accounts page):
 *   1. Mar  1  owner invests cash          1010 Dr 10,000 / 3000 Cr 10,000
 *   2. Mar  2  equipment for cash          1500 Dr  6,000 / 1010 Cr  6,000
 *   3. Mar  3  supplies on account         1350 Dr    500 / 2000 Cr    500
 *   4. Mar 10  services for cash           1010 Dr  3,000 / 4100 Cr  3,000
 *   5. Mar 15  services on account         1100 Dr  1,200 / 4100 Cr  1,200
 *   6. Mar 20  rent paid                   6100 Dr    800 / 1010 Cr    800
 *   7. Mar 28  wages paid                  6000 Dr  1,000 / 1010 Cr  1,000
 *   8. Mar 31  adj. supplies used          6300 Dr    200 / 1350 Cr    200
 *   9. Mar 31  adj. depreciation           6600 Dr    100 / 1510 Cr    100
 *  10. Mar 31  adj. wages accrued          6000 Dr    300 / 2210 Cr    300
 *  11. Mar 31  dividend paid               3200 Dr    400 / 1010 Cr    400
 *
 * By hand, as of 31 March 2025:
 *   1010 bank          10,000 − 6,000 + 3,000 − 800 − 1,000 − 400 = 4,800 Dr
 *   1100 receivable    1,200 Dr
 *   1350 supplies      500 − 200 = 300 Dr
 *   1500 equipment     6,000 Dr
 *   1510 acc. depr.    100 Cr (contra asset: credit column)
 *   2000 payable       500 Cr
 *   2210 wages payable 300 Cr
 *   3000 capital       10,000 Cr
 *   3200 dividends     400 Dr (contra equity)
 *   4100 revenue       3,000 + 1,200 = 4,200 Cr
 *   6000 wages         1,000 + 300 = 1,300 Dr
 *   6100 rent          800 Dr
 *   6300 supplies exp. 200 Dr
 *   6600 depreciation  100 Dr
 * Trial balance: debits  4,800 + 1,200 + 300 + 6,000 + 400 + 1,300 + 800 + 200 + 100 = 15,100
 *                credits 100 + 500 + 300 + 10,000 + 4,200                              = 15,100
 * Income statement (1–31 March): revenue 4,200; expenses 1,300 + 800 + 200 + 100 = 2,400;
 *   net income 4,200 − 2,400 = 1,800.
 * Balance sheet: assets 4,800 + 1,200 + 300 + 6,000 − 100 = 12,200; liabilities 500 + 300 = 800;
 *   equity 10,000 − 400 + 1,800 (current-year earnings; no prior years) = 11,400;
 *   liabilities and equity 800 + 11,400 = 12,200 = assets.
 */

interface Line {
  /** What the bookkeeper types into the account autocomplete (a code or part of a name). */
  account: string
  /** How the chosen account then reads on the line. */
  shows: string
  debit?: string
  credit?: string
}

interface Entry {
  /** Day of March 2025. */
  day: number
  memo: string
  reference: string
  lines: Line[]
}

const dr = (account: string, shows: string, amount: string): Line => ({ account, shows, debit: amount })
const cr = (account: string, shows: string, amount: string): Line => ({ account, shows, credit: amount })

const BANK = '1010 · Bank account'
const SUPPLIES = '1350 · Supplies'

const MONTH: Entry[] = [
  { day: 1, memo: 'Owner invests cash', reference: 'TB-01', lines: [dr('1010', BANK, '10,000'), cr('capital', '3000 · Owner\'s capital', '10,000')] },
  { day: 2, memo: 'Equipment bought for cash', reference: 'TB-02', lines: [dr('1500', '1500 · Equipment', '6000'), cr('1010', BANK, '6000')] },
  { day: 3, memo: 'Supplies bought on account', reference: 'TB-03', lines: [dr('supplies', SUPPLIES, '500'), cr('2000', '2000 · Accounts payable', '500')] },
  { day: 10, memo: 'Services rendered for cash', reference: 'TB-04', lines: [dr('1010', BANK, '3,000.00'), cr('4100', '4100 · Service revenue', '3,000.00')] },
  { day: 15, memo: 'Services rendered on account', reference: 'TB-05', lines: [dr('receivable', '1100 · Accounts receivable', '1200'), cr('service', '4100 · Service revenue', '1200')] },
  { day: 20, memo: 'Rent paid', reference: 'TB-06', lines: [dr('rent exp', '6100 · Rent expense', '800'), cr('1010', BANK, '800')] },
  { day: 28, memo: 'Wages paid', reference: 'TB-07', lines: [dr('6000', '6000 · Salaries and wages', '1000'), cr('1010', BANK, '1000')] },
  { day: 31, memo: 'Adjusting: supplies used', reference: 'ADJ-01', lines: [dr('6300', '6300 · Supplies expense', '200'), cr('1350', SUPPLIES, '200')] },
  { day: 31, memo: 'Adjusting: depreciation of equipment', reference: 'ADJ-02', lines: [dr('6600', '6600 · Depreciation expense', '100'), cr('1510', '1510 · Accumulated depreciation – equipment', '100')] },
  { day: 31, memo: 'Adjusting: wages accrued', reference: 'ADJ-03', lines: [dr('6000', '6000 · Salaries and wages', '300'), cr('wages payable', '2210 · Wages payable', '300')] },
  { day: 31, memo: 'Dividend paid', reference: 'TB-08', lines: [dr('3200', '3200 · Dividends', '400'), cr('1010', BANK, '400')] },
]

/** The trial balance as of 31 March 2025, by hand (see above): [code, debit, credit]. */
const TRIAL_BALANCE: [string, string, string][] = [
  ['1010', '4,800.00', ''],
  ['1100', '1,200.00', ''],
  ['1350', '300.00', ''],
  ['1500', '6,000.00', ''],
  ['1510', '', '100.00'],
  ['2000', '', '500.00'],
  ['2210', '', '300.00'],
  ['3000', '', '10,000.00'],
  ['3200', '400.00', ''],
  ['4100', '', '4,200.00'],
  ['6000', '1,300.00', ''],
  ['6100', '800.00', ''],
  ['6300', '200.00', ''],
  ['6600', '100.00', ''],
]

/**
 * The date is filled in, not typed: the segment order Chromium shows in a native date input
 * (dd/mm/yyyy or mm/dd/yyyy) follows the browser's own locale, not the page's, so typed digits
 * would land in different fields on different machines. Everything after it is keyed in.
 */
async function enterDate(page: Page, testid: string, iso: string) {
  const input = page.getByTestId(testid)
  await input.fill(iso)
  await expect(input).toHaveValue(iso)
}

/** One entry from the keyboard in the editor, posted; returns its number. */
async function keyAndPost(page: Page, tenant: string, entry: Entry): Promise<string> {
  await page.goto(tenantUrl(tenant, '/ledger/journal/new'))
  const date = `2025-03-${String(entry.day).padStart(2, '0')}`
  await enterDate(page, 'entry-date', date)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('entry-memo')).toBeFocused()
  // Free text goes in at once (as pasted); accounts and amounts are typed key by key below.
  await page.keyboard.insertText(entry.memo)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('entry-reference')).toBeFocused()
  await page.keyboard.insertText(entry.reference)
  await page.keyboard.press('Enter')

  for (const [i, line] of entry.lines.entries()) {
    await expect(page.getByTestId(`line-account-${i}`)).toBeFocused()
    // Enter on the account takes the autocomplete's first match and moves to the debit.
    await page.keyboard.type(line.account)
    await page.keyboard.press('Enter')
    await expect(page.getByTestId(`line-debit-${i}`)).toBeFocused()
    await expect(page.getByTestId('entry-line').nth(i)).toContainText(line.shows)
    if (line.debit) await page.keyboard.type(line.debit)
    await page.keyboard.press('Enter')
    await expect(page.getByTestId(`line-credit-${i}`)).toBeFocused()
    if (line.credit) await page.keyboard.type(line.credit)
    // Enter through the description to the next line's account (a new line after the last).
    await page.keyboard.press('Enter')
    await expect(page.getByTestId(`line-description-${i}`)).toBeFocused()
    await page.keyboard.press('Enter')
  }

  await expect(page.getByTestId('entry-difference')).toHaveText('0.00')
  await expect(page.getByTestId('entry-post')).toBeEnabled()
  await page.getByTestId('entry-post').click()
  await expect(page).toHaveURL(/\/ledger\/journal\/[0-9a-f-]{36}$/)
  await expect(page.getByTestId('entry-status-posted')).toBeVisible()
  await expect(page.getByTestId('entry-line-row')).toHaveCount(entry.lines.length)
  await expect(page.getByTestId('entry-number')).toHaveText(/^\d+$/)
  return (await page.getByTestId('entry-number').innerText()).trim()
}

test.describe('a textbook month', () => {
  // Created in beforeAll: the global setup has run by then, not when the file is first loaded.
  let slug = ''
  let owner = { email: '', password: '' }

  test.beforeAll(async () => {
    const tenant = await createOwnTenant('textbook', 'Textbook Services', 'Tess Textbook')
    ;({ slug, owner } = tenant)
    // Textbook bookkeeping: 1100 and 2000 take the month's manual entries, new accounts are the control accounts.
    await keepReceivablesByHand(tenant.asOwner)
  })

  test('March 2025 with its adjusting entries, keyed in and read back from the statements', async ({ page }, testInfo) => {
    // Eleven entries keyed in one by one: about 1.5 min, more than the default 90 s on a busy machine.
    test.setTimeout(180_000)
    await page.goto(tenantUrl(slug, '/login'))
    await signIn(page, owner.email, owner.password)

    // The standard chart has no supplies account: add 1350 Supplies, a current asset.
    await page.goto(tenantUrl(slug, '/ledger/accounts'))
    await page.getByTestId('accounts-add').click()
    const dialog = page.getByTestId('account-dialog')
    await dialog.getByTestId('account-code').fill('1350')
    await dialog.getByTestId('account-name').fill('Supplies')
    await dialog.getByTestId('account-subtype').click()
    await page.getByRole('option', { name: 'Other current asset' }).click()
    await dialog.getByTestId('account-save').click()
    await expect(dialog).toBeHidden()
    await expect(page.locator('[data-testid="account-row"][data-code="1350"]')).toContainText('Supplies')

    // The month, entry by entry; posted numbers follow one another without gaps.
    const numbers: number[] = []
    for (const entry of MONTH) numbers.push(Number(await keyAndPost(page, slug, entry)))
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i))

    // Trial balance as of 31 March: every account where the hand computation puts it, nothing else.
    await page.goto(tenantUrl(slug, '/reports/trial-balance?asOf=2025-03-31'))
    await expect(page.getByTestId('tb-table')).toBeVisible()
    await expect(page.getByTestId('tb-total-debit')).toHaveText('15,100.00')
    await expect(page.getByTestId('tb-total-credit')).toHaveText('15,100.00')
    await expect(page.getByTestId('tb-balanced')).toHaveText('In balance')
    await expect(page.getByTestId('tb-row')).toHaveCount(TRIAL_BALANCE.length)
    expect(await page.getByTestId('tb-row').evaluateAll(rows => rows.map(r => r.getAttribute('data-code')))).toEqual(TRIAL_BALANCE.map(r => r[0]))
    for (const [code, debit, credit] of TRIAL_BALANCE) {
      const row = page.locator(`[data-testid="tb-row"][data-code="${code}"]`)
      // The side without a balance is a blank cell: matched as blank, not as "contains ''".
      await expect(row.getByTestId('tb-debit'), `${code} debit`).toHaveText(debit || /^\s*$/)
      await expect(row.getByTestId('tb-credit'), `${code} credit`).toHaveText(credit || /^\s*$/)
    }
    // Accumulated depreciation and dividends are contra accounts: on their normal side, not abnormal.
    await expect(page.locator('[data-testid="tb-row"][data-code="1510"]')).toContainText('Accumulated depreciation – equipment')
    await expect(page.getByTestId('tb-table')).not.toContainText('Abnormal')
    await screenshot(page, testInfo, 'textbook-trial-balance')

    // Income statement for March.
    await page.goto(tenantUrl(slug, '/reports/income-statement?from=2025-03-01&to=2025-03-31'))
    await expect(page.getByTestId('is-table')).toBeVisible()
    const income: [string, string][] = [['4100', '4,200.00'], ['6000', '1,300.00'], ['6100', '800.00'], ['6300', '200.00'], ['6600', '100.00']]
    await expect(page.getByTestId('is-row')).toHaveCount(income.length)
    for (const [code, amount] of income) {
      await expect(page.locator(`[data-testid="is-row"][data-code="${code}"]`), code).toContainText(amount)
    }
    await expect(page.getByTestId('is-revenue').getByTestId('is-row')).toHaveCount(1)
    await expect(page.getByTestId('is-total-revenue')).toHaveText('4,200.00')
    await expect(page.getByTestId('is-total-operating-expenses')).toHaveText('2,400.00')
    await expect(page.getByTestId('is-net-income')).toHaveText('1,800.00')
    await screenshot(page, testInfo, 'textbook-income-statement')

    // Balance sheet as of 31 March: contra accounts are deductions in their sections.
    await page.goto(tenantUrl(slug, '/reports/balance-sheet?asOf=2025-03-31'))
    await expect(page.getByTestId('bs-table')).toBeVisible()
    const sheet: [string, string][] = [
      ['1010', '4,800.00'], ['1100', '1,200.00'], ['1350', '300.00'], ['1500', '6,000.00'], ['1510', '-100.00'],
      ['2000', '500.00'], ['2210', '300.00'],
      ['3000', '10,000.00'], ['3200', '-400.00'],
    ]
    for (const [code, amount] of sheet) {
      await expect(page.locator(`[data-testid="bs-row"][data-code="${code}"]`).getByTestId('bs-amount'), code).toHaveText(amount)
    }
    await expect(page.getByTestId('bs-assets').getByTestId('bs-row')).toHaveCount(5)
    await expect(page.getByTestId('bs-liabilities').getByTestId('bs-row')).toHaveCount(2)
    const equity = page.getByTestId('bs-equity')
    await expect(equity.getByTestId('bs-row').filter({ hasText: 'Retained earnings (prior years)' }).getByTestId('bs-amount')).toHaveText('0.00')
    await expect(equity.getByTestId('bs-row').filter({ hasText: 'Current-year earnings' }).getByTestId('bs-amount')).toHaveText('1,800.00')
    // A computed figure drills down too: current-year earnings lead to the income statement they come from.
    await expect(equity.getByTestId('bs-row').filter({ hasText: 'Current-year earnings' }).getByRole('link'))
      .toHaveAttribute('href', '/reports/income-statement?from=2025-01-01&to=2025-03-31')
    await expect(page.getByTestId('bs-total-assets')).toHaveText('12,200.00')
    await expect(page.getByTestId('bs-total-liabilities')).toHaveText('800.00')
    await expect(page.getByTestId('bs-total-equity')).toHaveText('11,400.00')
    await expect(page.getByTestId('bs-total-liabilities-equity')).toHaveText('12,200.00')
    await expect(page.getByTestId('bs-balanced')).toHaveText('Assets = liabilities + equity')
    await screenshot(page, testInfo, 'textbook-balance-sheet')
  })
})
