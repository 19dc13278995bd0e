import type { MaybeRefOrGetter } from 'vue'

/**
 * The open/edit state of a list page's create-and-edit dialog (a `<UiFormDialog>`): `editing` is
 * the record being changed, null for a new one. `openEdit` does nothing without `canEdit`, so a
 * row click of a reader opens nothing; `rowProps` marks each row with `rowTestid` and its id (and
 * a pointer where rows open the dialog), for `<UiDataTable :row-props>`.
 */
export function useEditDialog<T extends { id: string }>(options: { canEdit: MaybeRefOrGetter<boolean>, rowTestid: string }) {
  const open = ref(false)
  const editing = shallowRef<T | null>(null)
  function openNew() {
    editing.value = null
    open.value = true
  }
  function openEdit(record: T) {
    if (!toValue(options.canEdit)) return
    editing.value = record
    open.value = true
  }
  function rowProps({ item }: { item: T }) {
    return { 'data-testid': options.rowTestid, 'data-id': item.id, 'class': toValue(options.canEdit) ? 'cursor-pointer' : undefined }
  }
  return { open, editing, openNew, openEdit, rowProps }
}
