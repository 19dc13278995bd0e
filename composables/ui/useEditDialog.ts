import type { MaybeRefOrGetter } from 'vue'

export interface EditDialogOptions<T> {
  /** Rows open the dialog only with this (a reader's click opens nothing). */
  canEdit: MaybeRefOrGetter<boolean>
  /** The test id on each row (`rowProps`), with the record's id as `data-id`. */
  rowTestid: string
  /** What a record is, in lower case (`tax rate`): "New tax rate", "Add tax rate", "Tax rate VAT20 added." */
  noun: string
  /** How a record is named in the dialog's title and the notices (its name or code). */
  label: (record: T) => string
  /** After a save, once the notice is shown (usually the list's `refresh`). */
  onSaved?: () => unknown
}

/**
 * The create-and-edit cycle of a list page's `<UiFormDialog>`: `editing` is the record being
 * changed, null for a new one; `openNew`/`openEdit` open the dialog; `title` and `submitText`
 * name what it does; `saved` (for `@saved`) tells the user and refreshes. `rowProps` is for
 * `<UiDataTable :row-props>`. The fields, their reset and the save stay with the page.
 */
export function useEditDialog<T extends { id: string }>(options: EditDialogOptions<T>) {
  const ui = useUiStore()
  const open = ref(false)
  const editing = shallowRef<T | null>(null)
  const Noun = options.noun.charAt(0).toUpperCase() + options.noun.slice(1)
  const title = computed(() => (editing.value ? `Edit ${options.label(editing.value)}` : `New ${options.noun}`))
  const submitText = computed(() => (editing.value ? 'Save' : `Add ${options.noun}`))
  function openNew() {
    editing.value = null
    open.value = true
  }
  function openEdit(record: T) {
    if (!toValue(options.canEdit)) return
    editing.value = record
    open.value = true
  }
  function saved(record: T) {
    ui.notify(editing.value ? `${options.label(record)} saved.` : `${Noun} ${options.label(record)} added.`)
    options.onSaved?.()
  }
  function rowProps({ item }: { item: T }) {
    return { 'data-testid': options.rowTestid, 'data-id': item.id, 'class': toValue(options.canEdit) ? 'cursor-pointer' : undefined }
  }
  return { open, editing, title, submitText, openNew, openEdit, saved, rowProps }
}
