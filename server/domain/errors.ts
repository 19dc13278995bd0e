/**
 * Domain errors: thrown by framework-free code, turned into HTTP answers by one mapper
 * (server/utils/errors.ts), so the worker never depends on h3.
 */
export type FieldErrors = Record<string, string>

export class DomainError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 503, readonly code: string, message: string, readonly fields?: FieldErrors) {
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
 * first; this maps the database's own backstop to the same 422 instead of a 500.
 */
export function ruleFromDatabase(err: unknown): RuleError | null {
  const e = ((err as { cause?: unknown })?.cause ?? err) as { code?: string, message?: string }
  // numeric_value_out_of_range: a sum past what the money columns hold (|x| < 10^16, e.g. an
  // account's period balance). Inputs are bounded per amount before this; this is the backstop.
  if (e?.code === '22003') return new RuleError('A balance these amounts add to would be larger than the ledger holds (less than 10^16)', 'BALANCE_OUT_OF_RANGE')
  const match = typeof e?.message === 'string' ? /^([A-Z][A-Z_]+): (.+)$/s.exec(e.message) : null
  if (!match || !e.code || !/^(23|P0)/.test(e.code)) return null
  return new RuleError(match[2]!, match[1]!)
}
