/**
 * E-mail templates (SPEC 6.13) and e-mail links (SPEC §4: built from the slug and APP_BASE_DOMAIN,
 * never from the request's Host).
 */
import { describe, expect, it } from 'vitest'
import { apexLink, tenantLink } from '../../server/domain/mail/links'
import { escapeHtml, renderInvitationMail, renderPasswordResetMail, renderSalesDocumentMail, renderScheduledReportMail, renderSignupMail, renderVendorBankChangeMail } from '../../server/domain/mail/templates'

const hostile = `<script>alert("x")</script> & 'Co'`

describe('escapeHtml', () => {
  it('escapes the five characters that matter in element content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;')
  })

  it('leaves ordinary text, including non-ASCII, as it is', () => {
    expect(escapeHtml('Ärger GmbH — 100 €')).toBe('Ärger GmbH — 100 €')
  })
})

describe('renderInvitationMail', () => {
  const base = { tenantName: 'Acme Ltd', inviterName: 'Olivia Owner', link: 'http://acme.localhost:3000/invitation/tok', expiresAt: new Date('2026-12-05T10:30:00Z') }

  it('invites with the link in both parts, saying what to do with a new or an existing account', () => {
    const mail = renderInvitationMail(base)
    expect(mail.subject).toBe('You are invited to Acme Ltd on Paksa Financial')
    expect(mail.text).toContain('Olivia Owner invited you to Acme Ltd')
    expect(mail.text).toContain('if you already have a Paksa account, confirm it with your password; if not, choose one')
    expect(mail.text).toContain('Accept the invitation: http://acme.localhost:3000/invitation/tok')
    expect(mail.text).toContain('2026-12-05 10:30 UTC')
    expect(mail.html).toContain('href="http://acme.localhost:3000/invitation/tok"')
  })

  it('escapes a hostile tenant or inviter name in the HTML and keeps it readable in the text', () => {
    const mail = renderInvitationMail({ ...base, tenantName: hostile, inviterName: hostile })
    expect(mail.html).not.toContain('<script>')
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;')
    expect(mail.text).toContain(hostile)
  })

  it('escapes a link so it cannot break out of its attribute', () => {
    const mail = renderInvitationMail({ ...base, link: 'http://x.localhost/"onmouseover="evil' })
    expect(mail.html).not.toContain('"onmouseover="')
    expect(mail.html).toContain('href="http://x.localhost/&quot;onmouseover=&quot;evil"')
  })

  it('writes the expiry in the organisation\'s date format and time zone when given', () => {
    const mail = renderInvitationMail({ ...base, format: { dateFormat: 'DD/MM/YYYY', timeZone: 'Asia/Karachi' } })
    expect(mail.text).toContain('expires on 05/12/2026 15:30 (Asia/Karachi).')
    expect(mail.html).toContain('05/12/2026 15:30 (Asia/Karachi)')
  })

  it('keeps the subject on one line whatever the names hold', () => {
    const mail = renderInvitationMail({ ...base, tenantName: 'Acme\r\nBcc: victim@example.com' })
    expect(mail.subject).not.toMatch(/[\r\n]/)
  })
})

describe('renderSignupMail', () => {
  it('carries the single-use link, says nothing exists until it is followed, and escapes the organisation name', () => {
    const mail = renderSignupMail({ organisationName: hostile, link: 'http://localhost:3000/signup/tok', expiresAt: new Date('2026-12-05T10:30:00Z') })
    expect(mail.subject).toBe(`Finish creating ${hostile} on Paksa Financial`)
    expect(mail.text).toContain('Finish sign-up: http://localhost:3000/signup/tok')
    expect(mail.text).toContain('The organisation is created only then.')
    expect(mail.text).toContain('2026-12-05 10:30 UTC')
    expect(mail.html).not.toContain('<script>')
    expect(mail.html).toContain('href="http://localhost:3000/signup/tok"')
  })
})

describe('renderPasswordResetMail', () => {
  it('carries the single-use link and its lifetime', () => {
    const mail = renderPasswordResetMail({ tenantName: 'Acme & Sons', link: 'http://acme.localhost:3000/reset-password/tok', expiresInMinutes: 60 })
    expect(mail.subject).toBe('Reset your Paksa Financial password for Acme & Sons')
    expect(mail.text).toContain('within 60 minutes')
    expect(mail.text).toContain('http://acme.localhost:3000/reset-password/tok')
    expect(mail.html).toContain('Acme &amp; Sons')
    expect(mail.html).toContain('<title>Reset your Paksa Financial password for Acme &amp; Sons</title>')
  })
})

describe('renderScheduledReportMail', () => {
  it('names the report, period and schedule, escaped in the HTML', () => {
    const mail = renderScheduledReportMail({ tenantName: 'Acme', scheduleName: '<b>Monthly</b>', reportTitle: 'Trial balance', period: { asOf: '2026-10-31' }, link: 'http://acme.localhost:3000/reports/exports' })
    expect(mail.subject).toBe('Trial balance (as of 2026-10-31) · Acme')
    expect(mail.text).toContain('"<b>Monthly</b>"')
    expect(mail.html).toContain('&lt;b&gt;Monthly&lt;/b&gt;')
    expect(mail.html).not.toContain('<b>Monthly</b>')
  })
})

describe('renderScheduledReportMail with the organisation\'s format', () => {
  it('writes the period\'s dates in the organisation\'s date format', () => {
    const base = { tenantName: 'Acme', scheduleName: 'Monthly', reportTitle: 'Income statement', link: 'http://acme.localhost:3000/reports/exports' }
    expect(renderScheduledReportMail({ ...base, period: { from: '2026-10-01', to: '2026-10-31' }, format: { dateFormat: 'D MMM YYYY' } }).subject)
      .toBe('Income statement (1 Oct 2026 to 31 Oct 2026) · Acme')
    expect(renderScheduledReportMail({ ...base, period: { asOf: '2026-10-31' } }).text).toContain('Acme, as of 2026-10-31.')
    const dotted = renderScheduledReportMail({ ...base, period: { asOf: '2026-10-31' }, format: { dateFormat: 'DD.MM.YYYY', timeZone: 'Europe/Berlin' } })
    expect(dotted.subject).toBe('Income statement (as of 31.10.2026) · Acme')
    expect(dotted.text).toContain('Acme, as of 31.10.2026.')
    expect(dotted.html).toContain('as of 31.10.2026')
    expect(dotted.html).not.toContain('2026-10-31')
  })
})

describe('renderSalesDocumentMail', () => {
  const invoice = {
    kind: 'invoice' as const, organisationName: 'Northwind Studio Ltd', customerName: 'Acme Trading GmbH', number: 'INV-000042',
    date: '2026-11-30', dueDate: '2026-12-30', currency: 'USD', total: '5208.75', amountDue: '4208.75',
    format: { dateFormat: 'D MMM YYYY' as const, numberFormat: '1,234.56' as const, negativeStyle: 'minus' as const },
  }

  it('names the invoice and the organisation, and says what is due by when', () => {
    const mail = renderSalesDocumentMail({ ...invoice, message: 'Thanks for a great project.\n\nSee you in January.' })
    expect(mail.subject).toBe('Invoice INV-000042 from Northwind Studio Ltd')
    expect(mail.text).toContain('Dear Acme Trading GmbH,')
    expect(mail.text).toContain('Thanks for a great project.\n\nSee you in January.')
    expect(mail.text).toContain('Please find attached invoice INV-000042 for USD 5,208.75.')
    expect(mail.text).toContain('USD 4,208.75 is due by 30 Dec 2026.')
    expect(mail.text).toContain('Due date: 30 Dec 2026\nTotal: USD 5,208.75\nAmount due: USD 4,208.75')
    expect(mail.html).toContain('<div style="font-weight:bold;font-size:18px;margin-bottom:16px">Northwind Studio Ltd</div>')
    expect(mail.html).toContain('USD 4,208.75')
    expect(mail.html).not.toContain('Paksa Financial</div>')
  })

  it('follows the organisation\'s number and date formats', () => {
    const mail = renderSalesDocumentMail({ ...invoice, format: { dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', negativeStyle: 'minus' } })
    expect(mail.text).toContain('USD 4.208,75 is due by 30.12.2026.')
  })

  it('says a paid invoice is paid, and words a credit note as one', () => {
    expect(renderSalesDocumentMail({ ...invoice, amountDue: '0.00' }).text).toContain('It is paid in full: nothing is due.')
    const credit = renderSalesDocumentMail({ ...invoice, kind: 'credit_note', number: 'CN-000007', dueDate: null })
    expect(credit.subject).toBe('Credit note CN-000007 from Northwind Studio Ltd')
    expect(credit.text).toContain('Please find attached credit note CN-000007 for USD 5,208.75.')
    expect(credit.text).toContain('Credit remaining: USD 4,208.75')
    expect(credit.text).not.toContain('is due')
  })

  it('escapes a hostile organisation, customer or message in the HTML and keeps the subject on one line', () => {
    const mail = renderSalesDocumentMail({ ...invoice, organisationName: `${hostile}\nLtd`, customerName: hostile, message: hostile })
    expect(mail.subject).toBe(`Invoice INV-000042 from ${hostile} Ltd`)
    expect(mail.html).not.toContain('<script>')
    expect(mail.html).toContain('&lt;script&gt;')
    expect(mail.text).toContain(hostile)
  })
})

describe('renderVendorBankChangeMail', () => {
  const changedAt = new Date('2026-03-02T10:30:00Z')

  it('tells the vendor which (masked) account is now on file, and to call back on a known number if it was not them', () => {
    const mail = renderVendorBankChangeMail({
      organisationName: 'Acme Ltd', vendorName: 'Harbour Supplies', changedAt,
      bankAccount: { iban: 'DE89 **** **** 3000', accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
    })
    expect(mail.subject).toBe('Your bank details at Acme Ltd were changed')
    expect(mail.text).toContain('IBAN: DE89 **** **** 3000')
    expect(mail.text).toContain('BIC: COBADEFFXXX')
    expect(mail.text).toContain('2026-03-02 10:30 UTC')
    expect(mail.text).toContain('If you did not ask for this change')
    expect(mail.html).toContain('DE89 **** **** 3000')
  })

  it('says so when the account was removed, and escapes names in the HTML', () => {
    const mail = renderVendorBankChangeMail({ organisationName: hostile, vendorName: hostile, changedAt, bankAccount: null })
    expect(mail.text).toContain('removed the bank account')
    expect(mail.html).not.toContain('<script>')
    expect(mail.subject).not.toMatch(/\n/)
  })
})

describe('tenantLink', () => {
  it('is http with the port on a localhost base domain', () => {
    expect(tenantLink('acme', '/invitation/t', { baseDomain: 'localhost', port: 3000 })).toBe('http://acme.localhost:3000/invitation/t')
    expect(tenantLink('acme', '/x', { baseDomain: 'localhost', port: 80 })).toBe('http://acme.localhost/x')
  })

  it('is https without the internal port on a real domain (served through the TLS proxy)', () => {
    expect(tenantLink('acme', '/reset-password/t', { baseDomain: 'paksa.example', port: 3000 })).toBe('https://acme.paksa.example/reset-password/t')
  })
})

describe('apexLink', () => {
  it('points at the apex domain by the same rule (the sign-up link)', () => {
    expect(apexLink('/signup/t', { baseDomain: 'localhost', port: 3000 })).toBe('http://localhost:3000/signup/t')
    expect(apexLink('/signup/t', { baseDomain: 'paksa.example', port: 3000 })).toBe('https://paksa.example/signup/t')
  })
})
