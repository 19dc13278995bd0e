/**
 * Voiding a document from its page: a dialog asks for the date (the document's own, or today
 * when that is later) and the action posts the reversal; `confirm` resolves to the voided
 * document, or null when it was refused (the error stays in `action.error` for the dialog).
 */
export function useVoiding<D extends { date: string }, R>(
  voidIt: (doc: D, date: string) => Promise<R>,
  success: (result: R) => string,
  options: { fromToday?: boolean } = {},
) {
  const open = ref(false)
  const date = ref('')
  const action = useAction(voidIt, { success })
  function ask(doc: D) {
    action.reset()
    const today = organisationToday()
    date.value = options.fromToday && today >= doc.date ? today : doc.date
    open.value = true
  }
  async function confirm(doc: D): Promise<R | null> {
    if (!await action.run(doc, date.value)) return null
    open.value = false
    return action.result.value ?? null
  }
  return { open, date, action, ask, confirm }
}
