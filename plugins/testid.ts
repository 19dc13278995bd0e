import type { Directive } from 'vue'

/**
 * `v-testid="'login-email'"` puts `data-testid` on the native control inside a Vuetify text
 * input (Vuetify sends `data-*` attributes to the wrapper, where Playwright cannot `fill()`). It is
 * set once the component is mounted in the browser, so a test that finds it knows the page is
 * hydrated and interactive. Selects keep a plain `data-testid` on the wrapper: their inner input
 * is covered by the field, and a click on the wrapper opens the menu.
 */
function applyTestId(el: HTMLElement, value: string) {
  const target = el.matches('input, textarea, select')
    ? el
    : el.querySelector<HTMLElement>('input:not([type="hidden"]), textarea') ?? el
  target.setAttribute('data-testid', value)
}

const testid: Directive<HTMLElement, string> = {
  mounted: (el, binding) => applyTestId(el, binding.value),
  updated: (el, binding) => applyTestId(el, binding.value),
  getSSRProps: () => ({}),
}

declare module 'vue' {
  interface GlobalDirectives {
    vTestid: typeof testid
  }
}

export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.vueApp.directive('testid', testid)
})
