/** The API's error body: `{ statusCode, statusMessage, data: { code, fields? } }`. */
interface ApiErrorBody {
  statusCode?: number
  statusMessage?: string
  message?: string
  data?: { code?: string, fields?: Record<string, string> }
}

export interface ApiError {
  status?: number
  code?: string
  /** A sentence fit to show to the user. */
  message: string
  /** Field path (`"owner.email"`, `"roles.0"`) → message. */
  fields: Record<string, string>
}

/**
 * A sentence for every error code the server answers with (server/domain/errors.ts ERROR_STATUS;
 * tests/unit/api-error.test.ts keeps the two in step), so the pages never show an API's wording.
 */
export const CODE_MESSAGES: Record<string, string> = {
  // 400: the request
  VALIDATION_FAILED: 'Some fields need attention.',
  MALFORMED_JSON: 'The page sent something the server could not read. Reload the page and try again.',
  UNSUPPORTED_MEDIA_TYPE: 'The page sent something the server could not read. Reload the page and try again.',
  INVALID_IDEMPOTENCY_KEY: 'The page sent something the server could not read. Reload the page and try again.',
  INVALID_IF_MATCH: 'This was changed in the meantime. Reload and try again.',
  INVALID_SLUG: 'That address cannot be used. Use 3 to 32 lower-case letters, digits and hyphens, starting with a letter.',
  INVALID_SUBTYPE: 'That subtype does not belong to the account type. Choose another subtype.',
  WEAK_PASSWORD: 'That password is too easy to guess. Choose a longer or less common one.',
  RESET_TOKEN_INVALID: 'This password reset link is no longer valid. Ask for a new one.',
  UNKNOWN_ACCOUNT: 'One of the accounts does not exist. Choose it again from the list.',
  TOO_MANY_DECIMALS: 'An amount has more decimals than its currency allows.',
  AMOUNT_OUT_OF_RANGE: 'An amount is too large for the ledger once converted to the base currency.',
  LOGO_INVALID: 'That image could not be read. It may be damaged; save it again as a PNG or JPEG and upload that.',
  READ_ONLY_FIELD: 'Some of these settings cannot be changed here.',
  // 401
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  INVALID_CREDENTIALS: 'The e-mail address or password is not correct.',
  INVALID_REFRESH_TOKEN: 'Your session has ended. Sign in again.',
  HANDOFF_INVALID: 'This sign-in link has expired or was already used. Sign in with your password.',
  // 403
  FORBIDDEN: 'You do not have permission to do that.',
  OWNER_ONLY: 'Only an owner can give or take away the owner role.',
  CSRF_FAILED: 'Your page is out of date. Reload it and try again.',
  TENANT_SUSPENDED: 'This organisation is suspended. Contact support to restore access.',
  // 404
  NOT_FOUND: 'We could not find what you were looking for. It may have been deleted.',
  UNKNOWN_HOST: 'There is no organisation at this address. Check the link.',
  TENANT_NOT_FOUND: 'There is no organisation at this address. Check the link.',
  INVITATION_INVALID: 'This invitation is no longer valid. Ask for a new one.',
  SIGNUP_INVALID: 'This sign-up link is no longer valid. Start again from the sign-up page.',
  ORGANISATION_NOT_FOUND: 'You are not a member of that organisation, or it is suspended.',
  // 405
  METHOD_NOT_ALLOWED: 'That cannot be done here. Reload the page and try again.',
  // 409: the state changed or clashes
  CONFLICT: 'This clashes with something that already exists.',
  IDEMPOTENCY_KEY_REUSED: 'This was already sent with different details. Reload the page and try again.',
  STALE_VERSION: 'Someone changed this in the meantime. Reload to see their change, then try again.',
  ACCOUNT_CODE_TAKEN: 'Another account already has that code. Choose another code.',
  ALREADY_MEMBER: 'That person is already a member or already invited.',
  SLUG_TAKEN: 'That address is already taken. Choose another one.',
  RATE_EXISTS: 'There is already a rate for that currency on that date.',
  INVITATION_ALREADY_ACCEPTED: 'This invitation was already accepted. Sign in instead.',
  LEDGER_ALREADY_REVERSED: 'That entry is already reversed, or is itself a reversal.',
  FISCAL_YEAR_CLOSED: 'That fiscal year is already closed.',
  JOB_ACTIVE: 'That job is still running. Wait until it finishes or fails.',
  JOB_NOT_FAILED: 'Only a failed job can be retried.',
  EXPORT_NOT_READY: 'That file is not ready yet. Wait a moment, or request it again if it failed.',
  ACCOUNT_EXISTS: 'This e-mail address already has a Paksa account. Open the link again and use that account\'s password.',
  // 413
  PAYLOAD_TOO_LARGE: 'That is too much to send at once. Make it smaller and try again.',
  LOGO_TOO_LARGE: 'That image is larger than 512 KB. Save a smaller version and upload that.',
  // 415
  LOGO_UNSUPPORTED_TYPE: 'The logo must be a PNG or JPEG image. Other kinds of file, SVG among them, cannot be used.',
  // 422: a rule of the books refused it
  BALANCE_OUT_OF_RANGE: 'A balance would become larger than the ledger can hold.',
  LAST_OWNER: 'An organisation must keep at least one owner. Make someone else an owner first.',
  WRONG_PASSWORD: 'Your current password is not correct.',
  REPORT_TOO_LARGE: 'The report has too many lines for one file. Narrow the dates and try again.',
  EXPORT_FAILED: 'The report file could not be made. Request it again.',
  LEDGER_ACCOUNT_HAS_POSTINGS: 'This account has postings, so its type cannot change.',
  LEDGER_ACCOUNT_NOT_ZERO: 'Only an account with a zero balance can be deactivated.',
  LEDGER_ACCOUNT_INACTIVE: 'One of the accounts is inactive. Reactivate it or choose another.',
  LEDGER_ALREADY_POSTED: 'That entry is already posted. Posted entries cannot be changed; reverse it instead.',
  LEDGER_CURRENCY_MISMATCH: 'One of the accounts keeps a different currency from the entry.',
  LEDGER_NOT_POSTED: 'Only a posted entry can be reversed.',
  LEDGER_PARENT_ACCOUNT: 'A parent account only totals its sub-accounts. Post to one of them instead.',
  LEDGER_PARENT_HAS_POSTINGS: 'An account with postings cannot have sub-accounts.',
  LEDGER_PERIOD_CLOSED: 'That date falls in a closed period. Choose a date in an open period, or reopen the period.',
  LEDGER_SYSTEM_ACCOUNT: 'System accounts keep their type and stay active.',
  LEDGER_CONTROL_ACCOUNT: 'That is a control account: only invoices, bills and payments post to it. Use another account, or record the document in Sales.',
  CONTROL_ACCOUNT_INVALID: 'A control account must be an active receivable (AR) or payable (AP) account without sub-accounts.',
  CONTROL_ACCOUNT_HAS_POSTINGS: 'That account already has journal lines. Create a new account to be the control account.',
  CONTROL_ACCOUNT_HAS_BALANCE: 'The current control account still has a balance, so it cannot be replaced.',
  TAX_ACCOUNT_INVALID: 'A tax account must be an active asset or liability account without sub-accounts. Choose another account.',
  TAX_RATE_IN_USE: 'This tax rate is in use, so it cannot be deleted. Make it inactive instead.',
  TAX_RATE_INVALID: 'That tax rate cannot be used here: it does not exist or does not apply to this side (sales or purchases).',
  TAX_RATE_INACTIVE: 'That tax rate is inactive. Choose an active rate or reactivate it.',
  ITEM_ACCOUNT_INVALID: 'That account cannot be used for this item. Choose an active income (or expense) account without sub-accounts.',
  SALES_DOCUMENT_INVALID: 'That document cannot be saved as it is: check the customer, the dates and the linked invoice.',
  SALES_ACCOUNT_INVALID: 'A line needs an active income account without sub-accounts: choose one, or an item that has one.',
  INVOICE_HAS_ALLOCATIONS: 'Payments or credits are allocated to this invoice. Remove the allocations before voiding it.',
  SALES_DOCUMENT_NOT_DRAFT: 'This document is already issued: it can no longer be changed or deleted. Reload to see it.',
  SALES_DOCUMENT_NOT_ISSUED: 'Only an issued document can be voided (a draft is deleted instead). Reload to see it.',
  RECEIPT_INVALID: 'That receipt cannot be recorded as it is: check the customer and the dates.',
  RECEIPT_ACCOUNT_INVALID: 'Money is deposited to an active cash or bank account without sub-accounts. Choose another account.',
  RECEIPT_IMMUTABLE: 'A receipt is not changed or deleted once recorded. Void it and record it again.',
  RECEIPT_NOT_ACTIVE: 'This receipt is already void. Reload to see it.',
  ALLOCATION_EXCEEDS_DUE: 'That is more than the invoice still has due. Reload to see what is left.',
  ALLOCATION_EXCEEDS_AVAILABLE: 'That is more than is left unallocated on the receipt or credit note. Reload to see what is left.',
  ALLOCATION_CURRENCY_MISMATCH: 'The invoice and the payment or credit are in different currencies, so one cannot pay the other.',
  ALLOCATION_CUSTOMER_MISMATCH: 'The invoice belongs to another customer.',
  ALLOCATION_INVOICE_NOT_OPEN: 'Only an issued invoice with an amount due can be paid: this one is a draft, paid or void.',
  ALLOCATION_SOURCE_NOT_OPEN: 'Only an active receipt or an issued credit note can be allocated.',
  ALLOCATION_INVALID: 'That allocation cannot be made: check its date and the invoices named.',
  ALLOCATION_IMMUTABLE: 'An allocation is not changed or deleted; void the receipt to release it.',
  CUSTOMER_EMAIL_MISSING: 'This customer has no e-mail address. Add one to the customer, then send again.',
  SEND_RECIPIENT_INVALID: 'A document can be sent only to the customer\'s own e-mail address. Change the customer\'s address if it is wrong.',
  DOCUMENT_TOO_LARGE: 'The document\'s PDF is too large to send by e-mail. Download it and send it another way.',
  TAX_RATE_CODE_TAKEN: 'Another tax rate already has that code. Choose another code.',
  CUSTOMER_CODE_TAKEN: 'Another customer already has that code. Choose another code.',
  ITEM_CODE_TAKEN: 'Another item already has that code. Choose another code.',
  VENDOR_CODE_TAKEN: 'Another vendor already has that code. Choose another code.',
  VENDOR_BANK_CHANGE_NOT_PENDING: 'There is no bank detail change waiting for confirmation, or it was replaced by a newer one. Reload to see it.',
  VENDOR_BANK_CHANGE_UNCONFIRMED: 'A vendor\'s bank details change only when a second person confirms the change.',
  BILL_INVALID: 'That bill cannot be saved as it is: check the vendor and the dates.',
  BILL_ACCOUNT_INVALID: 'A bill line needs an active expense or asset account without sub-accounts: choose one, or an item that has one.',
  BILL_HAS_ALLOCATIONS: 'Payments or vendor credits are allocated to this bill. Remove them before voiding it.',
  BILL_NOT_DRAFT: 'This bill has been submitted: it can no longer be changed or deleted. Reload to see it.',
  BILL_NOT_AWAITING_APPROVAL: 'This bill is not waiting for approval any more. Reload to see it.',
  BILL_NOT_POSTED: 'Only a posted bill can be voided (a draft is deleted, a bill awaiting approval rejected). Reload to see it.',
  BILL_DUPLICATE_REFERENCE: 'This vendor already has a bill with that reference. Check it is not entered twice.',
  BILL_PAYMENT_NOT_ACTIVE: 'This payment is already void. Reload to see it.',
  BILL_PAYMENT_INVALID: 'This payment cannot be recorded as entered: see the fields marked.',
  BILL_PAYMENT_ACCOUNT_INVALID: 'Bills are paid from an active cash or bank account without sub-accounts. Choose another account.',
  BILL_PAYMENT_IMMUTABLE: 'A recorded payment does not change: void it and record it again.',
  VENDOR_CREDIT_NOT_DRAFT: 'This vendor credit is already issued: it no longer changes. Reload to see it.',
  VENDOR_CREDIT_NOT_OPEN: 'This vendor credit is void. Reload to see it.',
  VENDOR_CREDIT_INVALID: 'This vendor credit cannot be issued as entered: see the fields marked.',
  ALLOCATION_BILL_NOT_OPEN: 'That bill is not open for payment (a draft, awaiting approval, paid or void). Reload to see it.',
  ALLOCATION_VENDOR_MISMATCH: 'A payment or credit pays only bills of its own vendor.',
  PAYMENT_RUN_NOT_PREPARED: 'This payment run is already approved or cancelled. Reload to see it.',
  PAYMENT_RUN_NOT_APPROVED: 'The bank files are made when the payment run is approved.',
  PAYMENT_RUN_BILL_IN_RUN: 'A bill is already in another prepared payment run. Approve or cancel that run first.',
  PAYMENT_RUN_STALE: 'Bills of this run were paid, voided or changed since it was prepared. Cancel it and prepare a new run.',
  PAYMENT_RUN_BILL_NOT_PAYABLE: 'Some bills cannot be paid by this run: only posted bills with an amount due, dated on or before the run, in a currency the account takes.',
  PAYMENT_RUN_ACCOUNT_INVALID: 'Bills are paid from an active cash or bank account without sub-accounts. Choose another account.',
  PAYMENT_RUN_EMPTY: 'There is nothing to pay: no payable bill was found, or no vendor has bank details the bank can use.',
  PAYMENT_RUN_FILE_INVALID: 'The bank file cannot be written for this run. Check the paying account\'s code.',
  ATTACHMENT_TOO_LARGE: 'That file is larger than 10 MB. Attach a smaller copy.',
  BANK_ACCOUNT_GL_INVALID: 'A bank account sits on an active cash or bank GL account without sub-accounts, in its currency. Choose another GL account.',
  BANK_ACCOUNT_GL_TAKEN: 'Another bank account is already on that GL account. Each GL account has one bank account.',
  BANK_ACCOUNT_IMMUTABLE: 'A bank account is deactivated, never deleted.',
  BANK_OPENING_BALANCE_POSTED: 'The opening balance is posted and no longer changes. Post a correcting journal entry instead.',
  BANK_OPENING_EQUITY_INVALID: 'The opening balance needs an active opening-balance equity account (3100 in the standard chart). Add one or choose it.',
  BANK_TRANSACTION_IMMUTABLE: 'Imported bank lines are kept as the bank sent them.',
  BANK_IMPORT_JOB_IMMUTABLE: 'A finished import job is kept as it finished.',
  BANK_TRANSACTION_RECONCILED: 'This bank line is reconciled: its matches no longer change. Undo the reconciliation first.',
  BANK_TRANSACTION_MATCHED: 'This bank line is matched already. Unmatch it first.',
  BANK_TRANSACTION_NOT_MATCHED: 'This bank line is not matched.',
  BANK_LINE_ALREADY_MATCHED: 'That ledger line is matched to another bank line. Reload the suggestions.',
  BANK_MATCH_LINE_INVALID: 'Only posted, unreversed ledger lines on this bank account\'s GL account can be matched.',
  BANK_MATCH_AMOUNT_MISMATCH: 'The ledger lines must add up to the bank line\'s amount exactly.',
  BANK_MATCH_UNBALANCED: 'A bank line\'s matches must add up to its amount.',
  BANK_MATCH_IMMUTABLE: 'A match is made or undone, never changed.',
  BANK_ENTRY_MATCHED: 'This entry is matched to a bank line. Unmatch the bank line first.',
  BANK_CATEGORY_ACCOUNT_INVALID: 'Choose an active account without sub-accounts that is not a control account or the bank\'s own GL account.',
  BANK_RULE_INVALID: 'Check the rule: it needs at least one condition and an amount range in order.',
  IMPORT_INVALID: 'The file cannot be imported: see the lines named. Nothing from it was imported.',
  IMPORT_ACCOUNT_MISMATCH: 'This statement belongs to another account: none of its accounts is this bank account\'s number.',
  IMPORT_CURRENCY_MISMATCH: 'This statement is in another currency than the bank account. Import it into the account of that currency.',
  IMPORT_MAPPING_REQUIRED: 'Map the CSV columns (date, amount, description) before importing.',
  IMPORT_TOO_MANY_LINES: 'The file has more than 5,000 lines for this account. Split it into smaller files.',
  // bank reconciliation and transfers (issue 14 points 4 and 5)
  RECONCILIATION_OPEN: 'This bank account has an open reconciliation. Complete it first.',
  RECONCILIATION_NOT_OPEN: 'This reconciliation is already completed. Reload to see it.',
  RECONCILIATION_NOT_COMPLETED: 'Only a completed reconciliation can be undone.',
  RECONCILIATION_DIFFERENCE: 'The statement\'s ending balance and the cleared balance differ. Match the missing lines or correct the ending balance; it completes only at a difference of exactly 0.',
  RECONCILIATION_DATE_INVALID: 'The statement date must be after the last completed reconciliation and not before the opening balance\'s date.',
  RECONCILIATION_NOT_LATEST: 'Only the latest completed reconciliation of a bank account can be undone. Undo the later ones first.',
  RECONCILIATION_IMMUTABLE: 'A completed reconciliation does not change. Undo it first (the latest one only).',
  LEDGER_LINE_RECONCILED: 'A line of that entry is in a completed bank reconciliation. Undo the reconciliation first, then reverse the entry.',
  BANK_TRANSFER_INVALID: 'That transfer cannot be made between these accounts. Check that both are active and, between currencies, that one is in the base currency.',
  IMPORT_TOO_LARGE: 'That file is larger than 20 MB. Split it into smaller files.',
  IMPORT_FAILED: 'The import could not be completed. Nothing from the file was imported; import it again.',
  ATTACHMENT_TYPE_INVALID: 'Attach the bill as a PDF, PNG or JPEG file.',
  SOD_SELF_APPROVAL: 'You requested this yourself: someone else with approval rights has to confirm it.',
  LEDGER_TOO_FEW_LINES: 'An entry needs at least two lines.',
  LEDGER_UNBALANCED: 'Debits and credits must be equal.',
  LEDGER_NO_RATE: 'There is no exchange rate for that currency on or before that date. Add one under Exchange rates first.',
  PERIOD_ALREADY_CLOSED: 'That period is already closed.',
  PERIOD_ALREADY_OPEN: 'That period is already open.',
  PERIOD_CLOSE_ORDER: 'Periods close in order: close the earlier periods first.',
  PERIOD_REOPEN_ORDER: 'Periods reopen latest first: reopen the later periods first.',
  PERIOD_HAS_DRAFTS: 'Draft entries are dated in that period. Post or delete them first.',
  FISCAL_YEAR_PERIODS_OPEN: 'Close every period but the last first; the closing entry posts into the last one.',
  FISCAL_YEAR_LAST_PERIOD_CLOSED: 'The year\'s last period is closed. Reopen it so the closing entry can post into it.',
  // 429, 503
  TOO_MANY_REQUESTS: 'Too many requests. Wait a moment, then try again.',
  TOO_MANY_ATTEMPTS: 'Too many sign-in attempts. Wait a few minutes, then try again.',
  SERVICE_UNAVAILABLE: 'A service we depend on is not answering. Nothing was changed; try again in a moment.',
  QUEUE_UNAVAILABLE: 'Background work cannot be started right now. Nothing was changed; try again in a moment.',
}

/**
 * Codes whose server message names the particulars in plain words (which periods, how many
 * drafts, which currency and date, by how much debits and credits differ): shown as the server
 * words it, the sentence above only when it gave none.
 */
const DETAILED_CODES = new Set([
  'LEDGER_UNBALANCED', 'LEDGER_NO_RATE', 'LEDGER_PERIOD_CLOSED', 'PERIOD_HAS_DRAFTS', 'FISCAL_YEAR_PERIODS_OPEN',
  'REPORT_TOO_LARGE', 'EXPORT_FAILED', 'JOB_NOT_FAILED', 'LOGO_TOO_LARGE', 'LOGO_INVALID', 'LOGO_UNSUPPORTED_TYPE', 'PAYMENT_RUN_FILE_INVALID',
])

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Some fields need attention.',
  401: 'Your session has ended. Sign in again.',
  403: 'You do not have permission to do that.',
  404: 'We could not find what you were looking for.',
  409: 'This was changed in the meantime. Reload and try again.',
  422: 'That change is not allowed.',
  429: 'Too many requests. Wait a moment, then try again.',
}

/** Turns whatever `$fetch`/`useFetch` threw into a status, a code, a message and field errors. */
export function toApiError(error: unknown): ApiError {
  const err = (error ?? {}) as { statusCode?: number, status?: number, data?: unknown }
  const body = err.data && typeof err.data === 'object' ? err.data as ApiErrorBody : undefined
  const status = body?.statusCode ?? err.statusCode ?? err.status
  const code = body?.data?.code
  const fields = body?.data?.fields ?? {}

  const serverMessage = body?.statusMessage || body?.message || undefined
  let message: string | undefined = code && DETAILED_CODES.has(code) ? serverMessage : undefined
  message ??= code ? CODE_MESSAGES[code] : undefined
  message ??= serverMessage
  if (!message) {
    if (status === undefined) message = 'We could not reach the server. Check your connection and try again.'
    else if (status >= 500) message = 'Something went wrong on our side. Try again in a moment.'
    else message = STATUS_MESSAGES[status] ?? 'The request could not be completed.'
  }
  return { status, code, message, fields }
}

/** Server field messages are phrased to follow the field's name ("is required"). */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** zod's own wordings (its English locale), as plain phrases that follow a field's name. */
const ZOD_WORDINGS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Invalid input: expected \w+, received undefined$/, () => 'is required'],
  [/^Too small: expected string to have >=?1 characters?$/, () => 'is required'],
  [/^Too small: expected string to have >(=?)(\d+) characters?$/, m => `needs at least ${Number(m[2]) + (m[1] ? 0 : 1)} characters`],
  [/^Too big: expected string to have <(=?)(\d+) characters?$/, m => `can be at most ${Number(m[2]) - (m[1] ? 0 : 1)} characters`],
  [/^Too small: expected array to have >(=?)(\d+) items?$/, m => `needs at least ${Number(m[2]) + (m[1] ? 0 : 1)}`],
  [/^Too big: expected array to have <(=?)(\d+) items?$/, m => `takes at most ${Number(m[2]) - (m[1] ? 0 : 1)}`],
  [/^Too small: expected number to be >(=?)(\S+)$/, m => (m[1] ? `must be at least ${m[2]}` : `must be more than ${m[2]}`)],
  [/^Too big: expected number to be <(=?)(\S+)$/, m => (m[1] ? `must be at most ${m[2]}` : `must be less than ${m[2]}`)],
  [/^Invalid option/, () => 'is not one of the choices'],
  [/^Invalid email address$/, () => 'is not a valid e-mail address'],
  [/^Invalid (ISO )?date/, () => 'is not a valid date'],
  [/^Invalid string: must match pattern/, () => 'is not in the expected form'],
  [/^Unrecognized keys?/, () => 'is not expected here'],
  [/^(Invalid|Too small|Too big)\b/, () => 'is not valid'],
]

/** A field message in plain words: the contract's own phrase, or zod's default one reworded. */
export function plainFieldMessage(text: string): string {
  for (const [pattern, phrase] of ZOD_WORDINGS) {
    const match = pattern.exec(text)
    if (match) return phrase(match)
  }
  return text
}

/** `lines.0.debit` → `Line 1 debit`; `owner.email` → `Owner email`: a field path in words. */
export function fieldName(path: string): string {
  const words = path.split('.').map(part => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()))
  // "lines 1" reads "line 1".
  return capitalize(words.join(' ').replace(/(\w+)s (\d+)/g, '$1 $2'))
}

function matchesPath(key: string, path: string): boolean {
  return key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`)
}

/**
 * Error state for a form: a message for the alert and per-field messages from the API's
 * `data.fields`, looked up by field path (a `roles` field also shows errors for `roles.0`).
 * `formFields` lists the paths the form shows; errors for any other path go to the alert.
 */
export function useFormErrors(formFields: string[] = []) {
  const message = ref<string | null>(null)
  const fields = ref<Record<string, string>>({})

  function set(error: unknown): ApiError {
    const apiError = toApiError(error)
    fields.value = apiError.fields
    const keys = Object.keys(apiError.fields)
    const unshown = keys.filter(key => !formFields.some(path => matchesPath(key, path)))
    // Plain validation errors shown beside their inputs speak for themselves; a refusal (409,
    // 422) also explains itself in the alert, and errors for fields the form lacks go there too.
    if (unshown.length > 0) message.value = unshown.map(key => `${fieldName(key)} ${plainFieldMessage(apiError.fields[key]!)}`).join(' · ')
    else message.value = keys.length > 0 && apiError.status === 400 ? null : apiError.message
    return apiError
  }

  function clear() {
    message.value = null
    fields.value = {}
  }

  function forField(path: string): string[] {
    return Object.entries(fields.value as Record<string, string>)
      .filter(([key]) => matchesPath(key, path))
      .map(([, text]) => capitalize(plainFieldMessage(text)))
  }

  return { message, fields, set, clear, forField }
}
