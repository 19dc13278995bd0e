/**
 * Structured JSON-lines logger. Logs never carry secrets: no request bodies, no SQL parameters
 * (a failed statement is logged by the database's own message), and no tokens in paths.
 */
import { useConfig } from './config'

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
type Level = keyof typeof LEVELS

function emit(level: Level, msg: string, fields?: Record<string, unknown>) {
  let min: Level = 'info'
  try {
    min = useConfig().logLevel
  }
  catch { /* configuration not readable yet: keep the default */ }
  if (LEVELS[level] < LEVELS[min]) return
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => emit('debug', msg, f),
  info: (msg: string, f?: Record<string, unknown>) => emit('info', msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => emit('warn', msg, f),
  error: (msg: string, f?: Record<string, unknown>) => emit('error', msg, f),
}

/**
 * Path segments that are bearer secrets: e-mailed single-use tokens in page and API paths
 * (`/invitation/<token>`, `/api/v1/invitations/<token>/accept`, `/reset-password/<token>`,
 * `/signup/<token>`). Shared by the logs and the back-office outbox view.
 */
const SECRET_SEGMENT = /(\/(?:invitations?|reset-password|signup)\/)(?!redacted\b)[\w-]+/g

/** A path, URL or text with every secret path segment replaced by `redacted`, and no query string. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_SEGMENT, '$1redacted')
}

/** A request path for the log: secret segments redacted, the query string dropped. */
export function pathForLog(path: string): string {
  return redactSecrets(path.split('?')[0]!)
}

/**
 * An error without the SQL parameters in it. Drizzle wraps a failed statement as
 * `Failed query: <sql>\nparams: <values>` (values that may be tenant data, password hashes or
 * tokens); only the database's own message, which names no values, is kept. The stack keeps its
 * frames, not its message line.
 */
export function withoutSqlParameters(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err))
  const cause = (err as { cause?: unknown }).cause
  if (/^Failed query/.test(err.message) && cause instanceof Error) {
    const safe = new Error(cause.message)
    safe.name = err.name
    safe.stack = `${safe.name}: ${safe.message}\n${(err.stack ?? '').split('\n').filter(l => /^\s+at /.test(l)).join('\n')}`
    return safe
  }
  return err
}

/** An error's message for a log line, without SQL parameters. */
export function errorText(err: unknown): string {
  return withoutSqlParameters(err).message
}
