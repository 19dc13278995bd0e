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

/** Wording for codes whose server message is terse or technical. */
const CODE_MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: 'The e-mail address or password is not correct.',
  TOO_MANY_ATTEMPTS: 'Too many sign-in attempts. Wait a few minutes, then try again.',
  WRONG_PASSWORD: 'Your current password is not correct.',
  LAST_OWNER: 'An organisation must keep at least one owner. Make someone else an owner first.',
  SLUG_TAKEN: 'That address is already taken. Choose another one.',
  FORBIDDEN: 'You do not have permission to do that.',
  TENANT_SUSPENDED: 'This organisation is suspended. Contact support to restore access.',
  CSRF_FAILED: 'Your page is out of date. Reload it and try again.',
}

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

  let message: string | undefined = code ? CODE_MESSAGES[code] : undefined
  message ??= body?.statusMessage || body?.message || undefined
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
    if (unshown.length > 0) message.value = unshown.map(key => `${key} ${apiError.fields[key]}`).join(' · ')
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
      .map(([, text]) => capitalize(text))
  }

  return { message, fields, set, clear, forField }
}
