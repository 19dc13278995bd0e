/**
 * E-mail templates: each returns `{ subject, text, html }` for one kind of mail, inside one shared
 * layout. Every value that reaches the HTML goes through `escapeHtml` (tenant names, schedule
 * names and people's names are user input); the text part is plain and needs no escaping.
 *
 * Dates go through shared/format: a mail about one organisation follows its date format and time
 * zone (`format`); a mail without one (a sign-up) writes ISO dates in UTC.
 */
import { compareDecimalStrings, formatDate, formatDateTime, formatMoney, type FormatSettings } from '../../../shared/format'

/** The organisation's date format and zone, for mail about it. */
export type MailFormat = Partial<Pick<FormatSettings, 'dateFormat' | 'timeZone'>>

const ISO_MAIL: Required<MailFormat> = { dateFormat: 'YYYY-MM-DD', timeZone: 'UTC' }

/** An instant with its zone: `2026-12-05 10:30 UTC`, or `05.12.2026 11:30 (Europe/Berlin)`. */
function when(at: Date, format: MailFormat = {}): string {
  const { dateFormat, timeZone } = { ...ISO_MAIL, ...format }
  return `${formatDateTime(at, dateFormat, { timeZone })} ${timeZone === 'UTC' ? 'UTC' : `(${timeZone})`}`
}

export interface RenderedMail { subject: string, text: string, html: string }

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, c => HTML_ESCAPES[c]!)
}

/**
 * Subjects are single header lines: line breaks in a name would be folded by the mailer anyway,
 * and are never meant, so they become spaces.
 */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

interface Layout {
  /** Already escaped HTML paragraphs. */
  paragraphs: string[]
  action?: { label: string, link: string }
  /** Plain-text paragraphs, in the same order as the HTML ones. */
  textParagraphs: string[]
  /** Label and value rows after the paragraphs (plain text: escaped here); the last one is emphasised. */
  summary?: [string, string][]
  /** Plain-text paragraphs after the summary (a closing), escaped here. */
  closing?: string[]
  footnote: string
  /** The name at the head of the mail: Paksa Financial unless the mail is the organisation's own (an invoice). */
  brand?: string
}

function layout(subject: string, body: Layout): RenderedMail {
  const button = body.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(body.action.link)}" style="background:#1e5aa8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(body.action.label)}</a></p>
<p style="font-size:13px;color:#555">If the button does not work, open this address: <br><a href="${escapeHtml(body.action.link)}">${escapeHtml(body.action.link)}</a></p>`
    : ''
  const summary = body.summary?.length
    ? `<table role="presentation" style="border-collapse:collapse;margin:16px 0;width:100%">
${body.summary.map(([label, value], i, all) => {
  const last = i === all.length - 1
  const cell = `padding:6px 0;border-top:1px solid #e5e7eb${last ? ';font-weight:bold;font-size:16px' : ''}`
  return `<tr><td style="${cell};color:#555">${escapeHtml(label)}</td><td style="${cell};text-align:right">${escapeHtml(value)}</td></tr>`
}).join('\n')}
</table>`
    : ''
  const closing = (body.closing ?? []).map(p => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n')
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#1f2933">
<div style="max-width:560px;margin:0 auto;padding:24px">
<div style="font-weight:bold;font-size:18px;margin-bottom:16px">${escapeHtml(body.brand ?? 'Paksa Financial')}</div>
<div style="background:#ffffff;border-radius:8px;padding:24px;line-height:1.5">
${body.paragraphs.map(p => `<p>${p}</p>`).join('\n')}
${summary}${closing}
${button}
</div>
<p style="font-size:12px;color:#6b7280;margin-top:16px">${escapeHtml(body.footnote)}</p>
</div>
</body>
</html>
`
  const text = [
    ...body.textParagraphs,
    ...(body.summary?.length ? [body.summary.map(([label, value]) => `${label}: ${value}`).join('\n')] : []),
    ...(body.closing ?? []),
    ...(body.action ? [`${body.action.label}: ${body.action.link}`] : []),
    '--',
    body.footnote,
  ].join('\n\n') + '\n'
  return { subject, text, html }
}

export interface InvitationMailInput {
  tenantName: string
  /** Who added them (name), when known. */
  inviterName?: string
  link: string
  expiresAt: Date
  format?: MailFormat
}

/**
 * The mail sent when someone is added to a tenant. It reads the same whether or not the address
 * has a Paksa account: the invitation is written before anyone looks at the account (the tenant
 * learns nothing), and the link's page tells the person which of the two they do.
 */
export function renderInvitationMail(input: InvitationMailInput): RenderedMail {
  const tenant = oneLine(input.tenantName)
  const by = input.inviterName ? oneLine(input.inviterName) : undefined
  const subject = `You are invited to ${tenant} on Paksa Financial`
  const opening = by ? `${by} invited you to ${tenant} on Paksa Financial.` : `You are invited to ${tenant} on Paksa Financial.`
  const next = 'Open the link to accept: if you already have a Paksa account, confirm it with your password; if not, choose one.'
  const expiry = `The link works once and expires on ${when(input.expiresAt, input.format)}.`
  return layout(subject, {
    paragraphs: [escapeHtml(opening), escapeHtml(next), escapeHtml(expiry)],
    textParagraphs: [opening, next, expiry],
    action: { label: 'Accept the invitation', link: input.link },
    footnote: 'If you did not expect this invitation, you can ignore this e-mail.',
  })
}

export interface SignupMailInput {
  organisationName: string
  link: string
  expiresAt: Date
}

/**
 * The link that finishes a self-service sign-up. Like the invitation, it reads the same for a
 * new and an existing address; the page behind the link asks for the right password.
 */
export function renderSignupMail(input: SignupMailInput): RenderedMail {
  const organisation = oneLine(input.organisationName)
  const subject = `Finish creating ${organisation} on Paksa Financial`
  const opening = `Someone asked to create the organisation ${organisation} on Paksa Financial with this e-mail address as its owner.`
  const next = 'Open the link to finish: if you already have a Paksa account, confirm it with your password; if not, choose one. The organisation is created only then.'
  const expiry = `The link works once and expires on ${when(input.expiresAt)}.`
  return layout(subject, {
    paragraphs: [escapeHtml(opening), escapeHtml(next), escapeHtml(expiry)],
    textParagraphs: [opening, next, expiry],
    action: { label: 'Finish sign-up', link: input.link },
    footnote: 'If this was not you, ignore this e-mail: nothing is created and no account is changed.',
  })
}

export interface PasswordResetMailInput {
  tenantName: string
  link: string
  expiresInMinutes: number
}

/** The mail with a single-use link for choosing a new password. */
export function renderPasswordResetMail(input: PasswordResetMailInput): RenderedMail {
  const tenant = oneLine(input.tenantName)
  const subject = `Reset your Paksa Financial password for ${tenant}`
  const opening = `Someone asked to reset the password of your Paksa account on ${tenant}.`
  const next = `Open the link within ${input.expiresInMinutes} minutes to choose a new password. It works once, and signs you out of all your sessions.`
  return layout(subject, {
    paragraphs: [escapeHtml(opening), escapeHtml(next)],
    textParagraphs: [opening, next],
    action: { label: 'Choose a new password', link: input.link },
    footnote: 'If you did not ask for this, ignore this e-mail: your password stays as it is.',
  })
}

export interface SignInAlertMailInput {
  tenantName: string
  /** Failed attempts that used up the budget, and the window they fell in. */
  attempts: number
  windowMinutes: number
  /** Where to ask for a password reset. */
  resetLink: string
}

/**
 * Tells the account holder that strangers keep failing to sign in to their account, that those
 * attempts are paused for a while and that their own usual browser and network still get in.
 */
export function renderSignInAlertMail(input: SignInAlertMailInput): RenderedMail {
  const tenant = oneLine(input.tenantName)
  const subject = `Sign-in attempts on your Paksa Financial account for ${tenant}`
  const opening = `There were ${input.attempts} sign-in attempts with a wrong password on your Paksa account on ${tenant} within ${input.windowMinutes} minutes, from browsers and networks you have not used before.`
  const next = `Further attempts from unfamiliar places are paused for ${input.windowMinutes} minutes. You can still sign in from a browser or network you used before.`
  const advice = 'If this was not you, someone may be guessing your password: choose a new, unique one.'
  return layout(subject, {
    paragraphs: [escapeHtml(opening), escapeHtml(next), escapeHtml(advice)],
    textParagraphs: [opening, next, advice],
    action: { label: 'Choose a new password', link: input.resetLink },
    footnote: 'If these attempts were yours, you can ignore this e-mail.',
  })
}

export interface ScheduledReportMailInput {
  tenantName: string
  scheduleName: string
  reportTitle: string
  /** The run's period (ISO dates), written in the organisation's date format. */
  period: { asOf: string } | { from: string, to: string }
  /** The organisation's date format; ISO when left out. */
  format?: MailFormat
  /** Where the report (or its exports list) can be opened in the app. */
  link: string
}

function periodText(input: ScheduledReportMailInput): string {
  const p = input.period
  const date = (iso: string) => formatDate(iso, input.format?.dateFormat ?? ISO_MAIL.dateFormat) || iso
  return 'asOf' in p ? `as of ${date(p.asOf)}` : `${date(p.from)} to ${date(p.to)}`
}

/** The mail carrying a scheduled report (the file itself is attached by the sender). */
export function renderScheduledReportMail(input: ScheduledReportMailInput): RenderedMail {
  const tenant = oneLine(input.tenantName)
  const report = oneLine(input.reportTitle)
  const period = oneLine(periodText(input))
  const subject = `${report} (${period}) · ${tenant}`
  const opening = `Attached is the ${report} of ${tenant}, ${period}.`
  const why = `You receive it because you are a recipient of the schedule "${oneLine(input.scheduleName)}".`
  return layout(subject, {
    paragraphs: [escapeHtml(opening), escapeHtml(why)],
    textParagraphs: [opening, why],
    action: { label: 'Open in Paksa', link: input.link },
    footnote: 'To stop receiving this report, ask an administrator of your organisation to change the schedule.',
  })
}

export interface SalesDocumentMailInput {
  kind: 'invoice' | 'credit_note'
  organisationName: string
  customerName: string
  /** e.g. INV-000042 */
  number: string
  /** ISO dates, written in the organisation's date format. */
  date: string
  dueDate: string | null
  currency: string
  /** Decimal strings. */
  total: string
  amountDue: string
  /** The organisation's formats. */
  format?: Partial<Pick<FormatSettings, 'dateFormat' | 'numberFormat' | 'negativeStyle'>>
  /** The sender's own words, shown above the summary (plain text; blank lines part paragraphs). */
  message?: string | null
}

/**
 * The mail that carries an invoice or credit note to the customer (the PDF is attached by
 * `queueSalesDocumentMail`): "Invoice INV-000042 from Northwind Studio Ltd", the sender's own
 * message if any, the number, dates, total and the amount due with its due date. It is the
 * organisation's mail, so the organisation's name heads it; replies cannot reach the sending
 * address, so it says whom to contact.
 */
export function renderSalesDocumentMail(input: SalesDocumentMailInput): RenderedMail {
  const organisation = oneLine(input.organisationName)
  const customer = oneLine(input.customerName)
  const number = oneLine(input.number)
  const name = input.kind === 'invoice' ? 'Invoice' : 'Credit note'
  const date = (iso: string) => formatDate(iso, input.format?.dateFormat ?? ISO_MAIL.dateFormat) || iso
  const money = (amount: string) => formatMoney(amount, { currency: input.currency, numberFormat: input.format?.numberFormat, negativeStyle: input.format?.negativeStyle })
  const subject = `${name} ${number} from ${organisation}`
  const message = (input.message ?? '').replace(/\r\n?/g, '\n').split(/\n\s*\n/).map(p => p.trim()).filter(Boolean)
  const opening = `Dear ${customer},`
  const attached = input.kind === 'invoice'
    ? `Please find attached invoice ${number} for ${money(input.total)}.`
    : `Please find attached credit note ${number} for ${money(input.total)}.`
  const settled = compareDecimalStrings(input.amountDue, '0') === 0
  const due = input.kind === 'invoice'
    ? settled ? 'It is paid in full: nothing is due.' : `${money(input.amountDue)} is due${input.dueDate ? ` by ${date(input.dueDate)}` : ''}.`
    : null
  const summary: [string, string][] = [
    [`${name} number`, number],
    [input.kind === 'invoice' ? 'Invoice date' : 'Date', date(input.date)],
    ...(input.kind === 'invoice' && input.dueDate ? [['Due date', date(input.dueDate)] as [string, string]] : []),
    ['Total', money(input.total)],
    [input.kind === 'invoice' ? 'Amount due' : 'Credit remaining', money(input.amountDue)],
  ]
  const textParagraphs = [opening, ...message, attached, ...(due ? [due] : [])]
  return layout(subject, {
    brand: organisation,
    paragraphs: textParagraphs.map(p => escapeHtml(p).replace(/\n/g, '<br>')),
    textParagraphs,
    summary,
    closing: [`If you have any questions about it, please contact ${organisation}.`, `Kind regards,\n${organisation}`],
    footnote: `Sent by ${organisation} with Paksa Financial. The ${name.toLowerCase()} is attached as a PDF.`,
  })
}

export interface VendorBankChangeMailInput {
  organisationName: string
  vendorName: string
  /** The account now on file, masked (never the full number); null when it was removed. */
  bankAccount: { iban: string | null, accountNumber: string | null, bic: string | null, bankName: string | null } | null
  changedAt: Date
  format?: MailFormat
}

/**
 * Tells a vendor that the bank details an organisation pays them to were changed (SPEC §6 module 6,
 * issue 13 point 1): a vendor who did not ask for it can warn the organisation before money goes
 * to someone else's account. Masked numbers only.
 */
export function renderVendorBankChangeMail(input: VendorBankChangeMailInput): RenderedMail {
  const organisation = oneLine(input.organisationName)
  const vendor = oneLine(input.vendorName)
  const subject = `Your bank details at ${organisation} were changed`
  const opening = `${organisation} changed the bank details it holds for ${vendor} on ${when(input.changedAt, input.format)}. Payments from ${organisation} go to this account from now on.`
  const removed = `${organisation} removed the bank account it held for ${vendor} on ${when(input.changedAt, input.format)}. No payment goes to the old account any more.`
  const warning = `If you did not ask for this change, contact ${organisation} at once, by a phone number or address you already know (not one from this e-mail).`
  const account = input.bankAccount
  const summary: [string, string][] = account
    ? [
        ...(account.bankName ? [['Bank', account.bankName] as [string, string]] : []),
        ...(account.bic ? [['BIC', account.bic] as [string, string]] : []),
        ...(account.accountNumber ? [['Account number', account.accountNumber] as [string, string]] : []),
        ...(account.iban ? [['IBAN', account.iban] as [string, string]] : []),
      ]
    : []
  const first = account ? opening : removed
  return layout(subject, {
    brand: organisation,
    paragraphs: [escapeHtml(first), escapeHtml(warning)],
    textParagraphs: [first, warning],
    summary,
    footnote: `Sent by Paksa Financial on behalf of ${organisation}. Replies to this address are not read.`,
  })
}
