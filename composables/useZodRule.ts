import type { z } from 'zod'

/**
 * A Vuetify rule from a zod schema, so forms check input with the same schema the API route
 * validates with (`server/contracts`). The first issue's message is shown, capitalised, since the
 * contracts phrase messages to follow a field name ("is required").
 */
export function zodRule(schema: z.ZodType) {
  return (value: unknown): true | string => {
    const result = schema.safeParse(value)
    if (result.success) return true
    const message = result.error.issues[0]?.message ?? 'is not valid'
    return message.charAt(0).toUpperCase() + message.slice(1)
  }
}

/** The platform's password policy as far as the browser can check it (length); the server also refuses common passwords. */
export const PASSWORD_MIN_LENGTH = 12

export function passwordRule(value: string): true | string {
  return value.length >= PASSWORD_MIN_LENGTH || `Use at least ${PASSWORD_MIN_LENGTH} characters`
}
