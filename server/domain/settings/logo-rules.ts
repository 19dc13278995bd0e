/**
 * The limits of an organisation's logo and their wording, shared by the API (logo-image.ts) and
 * the settings page, so the browser refuses what the server would, in the same words, before the
 * upload. No framework or Node imports: the page imports this.
 */

/** The largest logo taken, in bytes (the tenant_logos_image_check constraint says the same). */
export const LOGO_MAX_BYTES = 512 * 1024
/** The longest side in pixels (the constraint again), and the most pixels: a logo, not a photograph. */
export const LOGO_MAX_SIDE = 4096
export const LOGO_MAX_PIXELS = 4_194_304
export const LOGO_MEDIA_TYPES = ['image/png', 'image/jpeg'] as const
export type LogoMediaType = typeof LOGO_MEDIA_TYPES[number]

export const LOGO_MESSAGES = {
  tooLarge: (bytes: number) => `The logo is ${Math.ceil(bytes / 1024)} KB; it can be at most ${LOGO_MAX_BYTES / 1024} KB`,
  unsupported: 'The logo must be a PNG or JPEG image',
} as const
