import type { Site } from '~/composables/useSite'

/**
 * Copies the host classification made by the server (`event.context.site`) into shared state, so
 * pages, layouts and route middleware read the same answer on the server and after hydration.
 */
export default defineNuxtPlugin({
  name: 'paksa:site',
  enforce: 'pre',
  setup() {
    const site = useState<Site | null>('site', () => null)
    if (import.meta.server) {
      site.value = (useRequestEvent()?.context.site as Site | undefined) ?? null
    }
  },
})
