import type { ApiError } from '~/composables/useApiError'
import type { BankImport, BankImportPreview, CsvMapping, PreviewInput, StatementFormat } from './useBank'
import { detectStatementFormat, guessMapping } from './statementFile'

export type WizardStep = 'upload' | 'columns' | 'review' | 'done'
export type Delimiter = NonNullable<CsvMapping['delimiter']>

/** The columns part of a CSV mapping as the form holds it: an empty string is "no column". */
export interface ColumnForm {
  amountMode: 'signed' | 'split'
  date: string
  amount: string
  debit: string
  credit: string
  description: string
  reference: string
  dateFormat: string
  decimalSeparator: '.' | ','
  thousandsSeparator: '' | ',' | '.' | ' ' | '\''
}

const blankColumns = (): ColumnForm => ({ amountMode: 'signed', date: '', amount: '', debit: '', credit: '', description: '', reference: '', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.' })

/** A statement file's text: UTF-8 (a BOM dropped), else Windows-1252, as the server reads an upload. */
export async function readStatementText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  }
  catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

/**
 * The import wizard of one bank account: the file (its format detected), for a CSV the mapping
 * with a live preview through `/imports/preview` (each change asks again, debounced), then what
 * an import would bring in and what is a duplicate, the import, its result. A saved mapping is
 * the starting point; otherwise the header is read for a first guess.
 */
export function useImportWizard(bankAccountId: MaybeRefOrGetter<string>, savedMapping: MaybeRefOrGetter<CsvMapping | null | undefined>) {
  const actions = useBankActions()
  const step = ref<WizardStep>('upload')
  const fileName = ref('')
  const content = ref('')
  const format = ref<StatementFormat>('csv')
  const hasHeader = ref(true)
  const delimiter = ref<Delimiter | null>(null)
  const skipRows = ref(0)
  const columns = ref<ColumnForm>(blankColumns())
  const saveMapping = ref(true)

  const preview = shallowRef<BankImportPreview | null>(null)
  const previewError = shallowRef<ApiError | null>(null)
  const previewing = ref(false)
  const result = shallowRef<BankImport | null>(null)

  /** The header names, or `Column 1…n` without a header row (mapped by number). */
  const columnNames = computed(() => {
    const csv = preview.value?.csv
    if (!csv) return []
    if (hasHeader.value && csv.header) return csv.header
    const width = Math.max(0, ...csv.rows.map(r => r.cells.length))
    return Array.from({ length: width }, (_, i) => `Column ${i + 1}`)
  })

  const ref_ = (name: string) => (hasHeader.value ? name : columnNames.value.indexOf(name) + 1)
  /** The mapping the form describes, or null while a required column is missing. */
  const mapping = computed<CsvMapping | null>(() => {
    const c = columns.value
    const amountGiven = c.amountMode === 'signed' ? !!c.amount : !!(c.debit || c.credit)
    if (!c.date || !c.description || !amountGiven || !c.dateFormat.trim()) return null
    return {
      hasHeader: hasHeader.value,
      ...(skipRows.value ? { skipRows: skipRows.value } : {}),
      ...(delimiter.value ? { delimiter: delimiter.value } : {}),
      date: ref_(c.date),
      ...(c.amountMode === 'signed' ? { amount: ref_(c.amount) } : { ...(c.debit ? { debit: ref_(c.debit) } : {}), ...(c.credit ? { credit: ref_(c.credit) } : {}) }),
      description: ref_(c.description),
      ...(c.reference ? { reference: ref_(c.reference) } : {}),
      dateFormat: c.dateFormat.trim(),
      decimalSeparator: c.decimalSeparator,
      thousandsSeparator: c.thousandsSeparator,
    }
  })

  /** The form's fields from a mapping (a saved one, or a guess). */
  function applyMapping(m: CsvMapping) {
    const name = (column: string | number | undefined) => (column === undefined ? '' : typeof column === 'number' ? `Column ${column}` : column)
    hasHeader.value = m.hasHeader ?? true
    skipRows.value = m.skipRows ?? 0
    delimiter.value = m.delimiter ?? delimiter.value
    columns.value = {
      amountMode: m.amount !== undefined ? 'signed' : 'split',
      date: name(m.date), amount: name(m.amount), debit: name(m.debit), credit: name(m.credit),
      description: name(m.description), reference: name(m.reference),
      dateFormat: m.dateFormat, decimalSeparator: m.decimalSeparator, thousandsSeparator: m.thousandsSeparator ?? '',
    }
  }

  function previewBody(withMapping: boolean): PreviewInput {
    if (format.value !== 'csv') return { format: format.value, content: content.value }
    if (withMapping && mapping.value) return { format: 'csv', content: content.value, mapping: mapping.value }
    return { format: 'csv', content: content.value, hasHeader: hasHeader.value, skipRows: skipRows.value, ...(delimiter.value ? { delimiter: delimiter.value } : {}) }
  }

  // Answers can arrive out of order while the user types: only the latest request's answer counts.
  let requestNo = 0
  async function runPreview(withMapping = true) {
    const no = ++requestNo
    previewing.value = true
    try {
      const answer = await actions.previewImport(toValue(bankAccountId), previewBody(withMapping))
      if (no !== requestNo) return
      preview.value = answer
      previewError.value = null
    }
    catch (error) {
      if (no !== requestNo) return
      previewError.value = toApiError(error)
      // A mapping that does not read the file still leaves the raw rows to look at.
      if (withMapping && format.value === 'csv' && previewError.value.code === 'IMPORT_INVALID') {
        try {
          const raw = await actions.previewImport(toValue(bankAccountId), previewBody(false))
          if (no === requestNo) preview.value = { ...raw, lines: [], total: 0, duplicates: 0 }
        }
        catch {
          // The first problem is the one to show.
        }
      }
    }
    finally {
      if (no === requestNo) previewing.value = false
    }
  }

  /** Takes a chosen file: reads it, detects the format, and for a CSV reads its columns. */
  async function chooseFile(file: File) {
    fileName.value = file.name
    content.value = await readStatementText(file)
    format.value = detectStatementFormat(file.name, content.value)
    preview.value = null
    previewError.value = null
    result.value = null
    columns.value = blankColumns()
    delimiter.value = null
    skipRows.value = 0
    hasHeader.value = true
    if (format.value !== 'csv') {
      await runPreview()
      step.value = 'review'
      return
    }
    const saved = toValue(savedMapping)
    if (saved) applyMapping(saved)
    await runPreview(!!saved)
    // Read afresh: runPreview set it (the compiler still sees the null assigned above).
    const csv = (preview.value as BankImportPreview | null)?.csv
    if (!saved && csv) {
      delimiter.value = csv.delimiter as Delimiter
      const guess = guessMapping(csv, hasHeader.value)
      if (guess) applyMapping({ ...guess, delimiter: delimiter.value, hasHeader: hasHeader.value })
    }
    step.value = 'columns'
  }

  // The header toggle renames the columns (`Betrag` ↔ `Column 5`): the chosen ones follow.
  const knownHeader = ref<string[]>([])
  watch(() => preview.value?.csv?.header, (header) => {
    if (header) knownHeader.value = header
  })
  watch(hasHeader, (now) => {
    const rename = (name: string) => {
      if (!name) return ''
      // Already named the new way (a mapping applied with its own header setting).
      if (now ? knownHeader.value.includes(name) : /^Column \d+$/.test(name)) return name
      if (!now) return knownHeader.value.includes(name) ? `Column ${knownHeader.value.indexOf(name) + 1}` : ''
      return knownHeader.value[Number(name.replace('Column ', '')) - 1] ?? ''
    }
    const c = columns.value
    columns.value = { ...c, date: rename(c.date), amount: rename(c.amount), debit: rename(c.debit), credit: rename(c.credit), description: rename(c.description), reference: rename(c.reference) }
  })

  // The live preview: every change of the file's reading or of the columns asks again.
  const shape = computed(() => JSON.stringify([step.value === 'columns', hasHeader.value, delimiter.value, skipRows.value, mapping.value]))
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(shape, () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (step.value === 'columns' && content.value) void runPreview()
    }, 250)
  })
  onScopeDispose(() => clearTimeout(timer))

  const importing = ref(false)
  const importError = shallowRef<ApiError | null>(null)
  async function confirmImport() {
    importing.value = true
    importError.value = null
    try {
      const csv = format.value === 'csv' && mapping.value
      result.value = await actions.importStatement(toValue(bankAccountId), {
        format: format.value, content: content.value, fileName: fileName.value || undefined,
        ...(csv ? { mapping: mapping.value!, saveMapping: saveMapping.value } : {}),
      })
      step.value = 'done'
      return true
    }
    catch (error) {
      importError.value = toApiError(error)
      return false
    }
    finally {
      importing.value = false
    }
  }

  function restart() {
    step.value = 'upload'
    fileName.value = ''
    content.value = ''
    preview.value = null
    previewError.value = null
    result.value = null
    importError.value = null
  }

  return {
    step, fileName, content, format, hasHeader, delimiter, skipRows, columns, saveMapping,
    preview, previewError, previewing, result, importing, importError,
    columnNames, mapping, chooseFile, runPreview, confirmImport, restart,
  }
}
