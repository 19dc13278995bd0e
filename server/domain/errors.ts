/**
 * Domain errors: thrown by framework-free code, turned into HTTP answers by one mapper
 * (server/utils/errors.ts), so the worker never depends on h3.
 */
export type FieldErrors = Record<string, string>

/**
 * The HTTP status of every stable error code, whichever layer raises it: the TypeScript errors
 * below, and the database invariants (triggers and functions in db/migrations raise `CODE: …`,
 * answered with this status by ruleFromDatabase). Route contracts list codes from here; the
 * document groups a route's codes by these. A code missing here fails the OpenAPI unit test, and
 * tests/db/catalogue.test.ts fails for a code the database raises that is not here.
 */
export const ERROR_STATUS: Record<string, 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503> = {
  VALIDATION_FAILED: 400, MALFORMED_JSON: 400, UNSUPPORTED_MEDIA_TYPE: 400, INVALID_IDEMPOTENCY_KEY: 400, INVALID_IF_MATCH: 400,
  INVALID_SLUG: 400, INVALID_SUBTYPE: 400, LOGO_INVALID: 400, READ_ONLY_FIELD: 400, WEAK_PASSWORD: 400, RESET_TOKEN_INVALID: 400, UNKNOWN_ACCOUNT: 400, TOO_MANY_DECIMALS: 400, AMOUNT_OUT_OF_RANGE: 400,
  IMPORT_INVALID: 400,
  UNAUTHENTICATED: 401, INVALID_CREDENTIALS: 401, INVALID_REFRESH_TOKEN: 401,
  HANDOFF_INVALID: 401,
  FORBIDDEN: 403, OWNER_ONLY: 403, CSRF_FAILED: 403, TENANT_SUSPENDED: 403,
  NOT_FOUND: 404, UNKNOWN_HOST: 404, TENANT_NOT_FOUND: 404, INVITATION_INVALID: 404, SIGNUP_INVALID: 404,
  ORGANISATION_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409, IDEMPOTENCY_KEY_REUSED: 409, STALE_VERSION: 409, ACCOUNT_CODE_TAKEN: 409, ALREADY_MEMBER: 409, SLUG_TAKEN: 409,
  RATE_EXISTS: 409, INVITATION_ALREADY_ACCEPTED: 409, LEDGER_ALREADY_REVERSED: 409, FISCAL_YEAR_CLOSED: 409, JOB_ACTIVE: 409,
  JOB_NOT_FAILED: 409, EXPORT_NOT_READY: 409, ACCOUNT_EXISTS: 409,
  TAX_RATE_CODE_TAKEN: 409, CUSTOMER_CODE_TAKEN: 409, ITEM_CODE_TAKEN: 409,
  SALES_DOCUMENT_NOT_DRAFT: 409, SALES_DOCUMENT_NOT_ISSUED: 409, RECEIPT_NOT_ACTIVE: 409,
  VENDOR_CODE_TAKEN: 409, VENDOR_BANK_CHANGE_NOT_PENDING: 409,
  BILL_NOT_DRAFT: 409, BILL_NOT_AWAITING_APPROVAL: 409, BILL_NOT_POSTED: 409, BILL_DUPLICATE_REFERENCE: 409,
  PAYMENT_RUN_NOT_PREPARED: 409, PAYMENT_RUN_NOT_APPROVED: 409, PAYMENT_RUN_BILL_IN_RUN: 409, PAYMENT_RUN_STALE: 409,
  BILL_PAYMENT_NOT_ACTIVE: 409, VENDOR_CREDIT_NOT_DRAFT: 409, VENDOR_CREDIT_NOT_OPEN: 409,
  BANK_ACCOUNT_GL_TAKEN: 409, BANK_TRANSACTION_MATCHED: 409, BANK_TRANSACTION_NOT_MATCHED: 409, BANK_LINE_ALREADY_MATCHED: 409, RECONCILIATION_OPEN: 409, RECONCILIATION_NOT_OPEN: 409, RECONCILIATION_NOT_COMPLETED: 409,
  PAYLOAD_TOO_LARGE: 413, LOGO_TOO_LARGE: 413, ATTACHMENT_TOO_LARGE: 413, IMPORT_TOO_LARGE: 413,
  LOGO_UNSUPPORTED_TYPE: 415, ATTACHMENT_TYPE_INVALID: 415,
  BALANCE_OUT_OF_RANGE: 422, LAST_OWNER: 422, WRONG_PASSWORD: 422, REPORT_TOO_LARGE: 422, EXPORT_FAILED: 422,
  LEDGER_ACCOUNT_HAS_POSTINGS: 422, LEDGER_ACCOUNT_NOT_ZERO: 422, LEDGER_ACCOUNT_INACTIVE: 422, LEDGER_ALREADY_POSTED: 422,
  LEDGER_CURRENCY_MISMATCH: 422, LEDGER_NOT_POSTED: 422, LEDGER_PARENT_ACCOUNT: 422, LEDGER_PARENT_HAS_POSTINGS: 422,
  LEDGER_PERIOD_CLOSED: 422, LEDGER_SYSTEM_ACCOUNT: 422, LEDGER_TOO_FEW_LINES: 422, LEDGER_UNBALANCED: 422,
  LEDGER_NO_RATE: 422, PERIOD_ALREADY_CLOSED: 422, PERIOD_ALREADY_OPEN: 422, PERIOD_CLOSE_ORDER: 422, PERIOD_REOPEN_ORDER: 422,
  PERIOD_HAS_DRAFTS: 422, FISCAL_YEAR_PERIODS_OPEN: 422, FISCAL_YEAR_LAST_PERIOD_CLOSED: 422,
  LEDGER_CONTROL_ACCOUNT: 422, CONTROL_ACCOUNT_INVALID: 422, CONTROL_ACCOUNT_HAS_POSTINGS: 422, CONTROL_ACCOUNT_HAS_BALANCE: 422,
  TAX_ACCOUNT_INVALID: 422, TAX_RATE_IN_USE: 422, TAX_RATE_INVALID: 422, TAX_RATE_INACTIVE: 422, ITEM_ACCOUNT_INVALID: 422,
  SALES_DOCUMENT_INVALID: 422, SALES_ACCOUNT_INVALID: 422, INVOICE_HAS_ALLOCATIONS: 422,
  RECEIPT_INVALID: 422, RECEIPT_ACCOUNT_INVALID: 422, RECEIPT_IMMUTABLE: 422, ALLOCATION_EXCEEDS_DUE: 422, ALLOCATION_EXCEEDS_AVAILABLE: 422,
  ALLOCATION_CURRENCY_MISMATCH: 422, ALLOCATION_CUSTOMER_MISMATCH: 422, ALLOCATION_INVOICE_NOT_OPEN: 422, ALLOCATION_SOURCE_NOT_OPEN: 422,
  ALLOCATION_INVALID: 422, ALLOCATION_IMMUTABLE: 422,
  CUSTOMER_EMAIL_MISSING: 422, SEND_RECIPIENT_INVALID: 422, DOCUMENT_TOO_LARGE: 422,
  SOD_SELF_APPROVAL: 422, VENDOR_BANK_CHANGE_UNCONFIRMED: 422,
  BILL_INVALID: 422, BILL_ACCOUNT_INVALID: 422, BILL_HAS_ALLOCATIONS: 422,
  PAYMENT_RUN_BILL_NOT_PAYABLE: 422, PAYMENT_RUN_ACCOUNT_INVALID: 422, PAYMENT_RUN_EMPTY: 422, PAYMENT_RUN_FILE_INVALID: 422,
  BILL_PAYMENT_INVALID: 422, BILL_PAYMENT_ACCOUNT_INVALID: 422, BILL_PAYMENT_IMMUTABLE: 422, ALLOCATION_BILL_NOT_OPEN: 422, ALLOCATION_VENDOR_MISMATCH: 422,
  VENDOR_CREDIT_INVALID: 422,
  BANK_ACCOUNT_GL_INVALID: 422, BANK_ACCOUNT_IMMUTABLE: 422, BANK_OPENING_BALANCE_POSTED: 422, BANK_OPENING_EQUITY_INVALID: 422, BANK_TRANSACTION_IMMUTABLE: 422, BANK_IMPORT_JOB_IMMUTABLE: 422,
  BANK_TRANSACTION_RECONCILED: 422, BANK_MATCH_LINE_INVALID: 422, BANK_MATCH_AMOUNT_MISMATCH: 422, BANK_MATCH_UNBALANCED: 422, BANK_MATCH_IMMUTABLE: 422,
  BANK_ENTRY_MATCHED: 422, BANK_CATEGORY_ACCOUNT_INVALID: 422, BANK_RULE_INVALID: 422,
  RECONCILIATION_DIFFERENCE: 422, RECONCILIATION_DATE_INVALID: 422, RECONCILIATION_NOT_LATEST: 422, RECONCILIATION_IMMUTABLE: 422,
  LEDGER_LINE_RECONCILED: 422, BANK_TRANSFER_INVALID: 422,
  IMPORT_ACCOUNT_MISMATCH: 422, IMPORT_CURRENCY_MISMATCH: 422, IMPORT_MAPPING_REQUIRED: 422, IMPORT_TOO_MANY_LINES: 422,
  TOO_MANY_REQUESTS: 429, TOO_MANY_ATTEMPTS: 429,
  SERVICE_UNAVAILABLE: 503, QUEUE_UNAVAILABLE: 503,
}

export class DomainError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503, readonly code: string, message: string, readonly fields?: FieldErrors) {
    super(message)
    this.name = new.target.name
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, fields?: FieldErrors, code = 'VALIDATION_FAILED') {
    super(400, code, message, fields)
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required', code = 'UNAUTHENTICATED') {
    super(401, code, message)
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this', code = 'FORBIDDEN') {
    super(403, code, message)
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, code = 'NOT_FOUND') {
    super(404, code, `${entity} not found`)
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, code = 'CONFLICT', fields?: FieldErrors) {
    super(409, code, message, fields)
  }
}

/** A business rule refused the request (422). */
export class RuleError extends DomainError {
  constructor(message: string, code: string, fields?: FieldErrors) {
    super(422, code, message, fields)
  }
}

/** The request body is larger than the route takes (413). */
export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${limitBytes} bytes`)
  }
}

export class RateLimitError extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number, code = 'TOO_MANY_REQUESTS') {
    super(429, code, message)
  }
}

/** A service the request depends on (e.g. the job queue) is unreachable; nothing was changed (503). */
export class UnavailableError extends DomainError {
  constructor(message: string, code = 'SERVICE_UNAVAILABLE') {
    super(503, code, message)
  }
}

/** PostgreSQL unique violation, as raised through postgres.js (possibly wrapped by Drizzle). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = (err as { cause?: unknown })?.cause ?? err
  const pg = e as { code?: string, constraint_name?: string }
  return pg?.code === '23505' && (!constraint || pg.constraint_name === constraint)
}

/**
 * A refusal raised by a database invariant (trigger or constraint written in the migrations), whose
 * message starts with a stable code, e.g. `LEDGER_UNBALANCED: …`. Application checks normally answer
 * first; this maps the database's own backstop to the same code and status (ERROR_STATUS; 422 for
 * a code not listed there) instead of a 500.
 */
export function ruleFromDatabase(err: unknown): DomainError | null {
  const e = ((err as { cause?: unknown })?.cause ?? err) as { code?: string, message?: string }
  // numeric_value_out_of_range: a sum past what the money columns hold (|x| < 10^16, e.g. an
  // account's period balance). Inputs are bounded per amount before this; this is the backstop.
  if (e?.code === '22003') return new RuleError('A balance these amounts add to would be larger than the ledger holds (less than 10^16)', 'BALANCE_OUT_OF_RANGE')
  const match = typeof e?.message === 'string' ? /^([A-Z][A-Z_]+): (.+)$/s.exec(e.message) : null
  if (!match || !e.code || !/^(23|P0)/.test(e.code)) return null
  const code = match[1]!
  return new DomainError(ERROR_STATUS[code] ?? 422, code, match[2]!)
}
