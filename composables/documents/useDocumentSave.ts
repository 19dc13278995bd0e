import type { VForm } from 'vuetify/components'

/**
 * Saving a document from its editor (invoice, credit note, bill, vendor credit): the form's own
 * rules first, at least one line, empty lines dropped, then `persist` (the draft alone, or the draft
 * and the next step: issue, submit) and `done` (a notice, the way to the saved document). A refusal
 * goes to `errors`, by field where it names one. `saving` says which button is busy.
 */
export function useDocumentSave<R>(options: {
  form: Ref<VForm | null>
  lines: Pick<ReturnType<typeof useDocumentLines>, 'usedLines' | 'hasLineProblems' | 'dropEmptyLines'>
  errors: ReturnType<typeof useFormErrors>
  persist: (finish: boolean) => Promise<R>
  done: (result: R, finish: boolean) => unknown
}) {
  const { form, lines, errors } = options
  const saving = ref<'draft' | 'finish' | null>(null)
  async function save(finish: boolean) {
    if (saving.value) return
    const result = await form.value?.validate()
    if (!result?.valid || lines.hasLineProblems.value) return
    errors.clear()
    if (!lines.usedLines.value.length) {
      errors.message.value = 'Add at least one line.'
      return
    }
    lines.dropEmptyLines()
    saving.value = finish ? 'finish' : 'draft'
    try {
      await options.done(await options.persist(finish), finish)
    }
    catch (error) {
      errors.set(error)
    }
    finally {
      saving.value = null
    }
  }
  return { saving, save }
}

/**
 * A form's keyboard shortcuts while it is on the page: Ctrl+S (⌘S) runs `save`, Alt plus a key
 * (by its `code`, `KeyN`) runs what `alt` names for it.
 */
export function useFormShortcuts(save: () => void, alt: Record<string, () => void> = {}) {
  function onKey(event: KeyboardEvent) {
    const action = event.altKey ? alt[event.code] : undefined
    if (action) {
      event.preventDefault()
      action()
    }
    else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault()
      save()
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
