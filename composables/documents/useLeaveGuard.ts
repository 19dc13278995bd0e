/**
 * Asks before a form with unsaved changes is left: a route change waits for the answer of the
 * form's dialog (`leaving`, answered with `answerLeave`), closing the tab gets the browser's own
 * prompt. `snapshot` says what the form holds; `markSaved` records it (or the state given, taken
 * when the request went out) as saved.
 */
export function useLeaveGuard(snapshot: () => string) {
  const savedState = ref(snapshot())
  const dirty = computed(() => snapshot() !== savedState.value)
  const leaving = ref(false)
  let answer: ((leave: boolean) => void) | null = null
  function answerLeave(leave: boolean) {
    leaving.value = false
    answer?.(leave)
    answer = null
  }
  watch(leaving, (open) => {
    if (!open) answerLeave(false)
  })
  onBeforeRouteLeave(() => {
    if (!dirty.value) return true
    answer?.(false)
    leaving.value = true
    return new Promise<boolean>((resolve) => {
      answer = resolve
    })
  })
  function onBeforeUnload(event: BeforeUnloadEvent) {
    if (!dirty.value) return
    event.preventDefault()
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = ''
  }
  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload))
  function markSaved(state = snapshot()) {
    savedState.value = state
  }
  return { dirty, leaving, answerLeave, markSaved }
}
