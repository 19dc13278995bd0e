import type { ApiError } from '~/composables/useApiError'

export interface ActionOptions<A extends unknown[], R> {
  /** Shown in the snackbar after success; a function sees the result and the arguments. */
  success?: string | ((result: R, ...args: A) => string)
  /** Put the failure in the snackbar too (for actions without a dialog to show it in). */
  notifyError?: boolean | ((error: ApiError, ...args: A) => string)
}

/**
 * Runs an API call for a button or a dialog: `busy` while it runs, `error` (the API problem as
 * {@link toApiError} reads it) when it fails, and a success notice through the snackbar store.
 * `run` resolves to whether the call succeeded (the result is in `result`); it never throws.
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>, options: ActionOptions<A, R> = {}) {
  const ui = useUiStore()
  const busy = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const result = shallowRef<R | undefined>(undefined)

  async function run(...args: A): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      const value = await action(...args)
      result.value = value
      const { success } = options
      if (success) ui.notify(typeof success === 'function' ? success(value, ...args) : success)
      return true
    }
    catch (caught) {
      const apiError = toApiError(caught)
      error.value = apiError
      const { notifyError } = options
      if (notifyError) ui.notify(typeof notifyError === 'function' ? notifyError(apiError, ...args) : apiError.message, 'error')
      return false
    }
    finally {
      busy.value = false
    }
  }

  function reset() {
    error.value = null
  }

  return {
    busy: computed(() => busy.value),
    error: computed(() => error.value),
    result: computed(() => result.value),
    run,
    reset,
  }
}
