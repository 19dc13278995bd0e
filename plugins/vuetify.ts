import { createVuetify, type ThemeDefinition } from 'vuetify'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'

const paksa: ThemeDefinition = {
  dark: false,
  colors: {
    'primary': '#1F4E79',
    'primary-darken-1': '#173B5C',
    'secondary': '#4A6378',
    'accent': '#2F7D9A',
    'background': '#F4F6F9',
    'surface': '#FFFFFF',
    'surface-variant': '#E6EBF1',
    'on-surface-variant': '#33414F',
    'error': '#B3261E',
    'warning': '#9A5B00',
    'info': '#2F6FB0',
    'success': '#2E7D4F',
  },
  variables: {
    'border-color': '#1B2733',
    'border-opacity': 0.12,
    'medium-emphasis-opacity': 0.66,
  },
}

/**
 * The server has no viewport, so Vuetify renders with a guessed width and corrects it after
 * hydration. Guessing from the user agent (the same string on both sides) keeps phones from
 * flashing the desktop drawer and desktops from flashing the phone layout.
 */
function guessViewportWidth(userAgent: string): number {
  return /Mobi|Android|iPhone|iPod/i.test(userAgent) ? 390 : 1280
}

export default defineNuxtPlugin((nuxtApp) => {
  const userAgent = import.meta.server
    ? useRequestHeaders(['user-agent'])['user-agent'] ?? ''
    : navigator.userAgent

  const vuetify = createVuetify({
    ssr: { clientWidth: guessViewportWidth(userAgent) },
    icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
    theme: { defaultTheme: 'paksa', themes: { paksa } },
    defaults: {
      VAppBar: { flat: true, border: 'b' },
      VBtn: { rounded: 'lg' },
      VCard: { rounded: 'lg', border: true, elevation: 0 },
      VTextField: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VTextarea: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VSelect: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VAutocomplete: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VChip: { size: 'small', variant: 'tonal', label: true },
      VAlert: { variant: 'tonal', density: 'comfortable', rounded: 'lg' },
      VDataTableServer: { density: 'comfortable', hover: true },
      VDialog: { scrollable: true },
      VList: { density: 'comfortable' },
      VTooltip: { location: 'bottom' },
    },
  })

  nuxtApp.vueApp.use(vuetify)
})
