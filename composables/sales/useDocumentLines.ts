import type { Ref } from 'vue'
import { computeDocument, discountProblem, quantityProblem, unitPriceProblem, type AmountsAre, type TaxRateInput } from '#shared/sales/document-maths'
import type { Item, TaxRate } from '~/composables/sales/useSales'
import type { SalesDocument } from '~/composables/sales/useSalesDocuments'

/** A line of the invoice editor as typed: figures are what the person wrote, not yet parsed. */
export interface DocumentLineDraft {
  key: number
  itemId: string | null
  description: string
  quantity: string
  unitPrice: string
  discountPercent: string
  accountId: string | null
  taxRateId: string | null
}

export type DocumentLineProblems = Partial<Record<'description' | 'quantity' | 'unitPrice' | 'discountPercent', string>>

/** A tax rate as the document arithmetic takes it. */
function rateInput(rate: TaxRate): TaxRateInput {
  return { id: rate.id, rate: rate.rate, name: rate.code, accountId: rate.accountId, components: rate.components }
}

/**
 * The invoice editor's lines and what follows from them: each line's amount and the document's
 * subtotal, tax per rate and total, computed by the same function the server stores its figures
 * with (shared/sales/document-maths.ts `computeDocument`), so the screen shows what will be saved.
 * Figures are read as typed ("1,250.5" → "1250.5"); a line's problems are found before the server
 * sees them, in its words, and a line with a problem counts as zero until it is put right.
 */
export function useDocumentLines(options: {
  places: Ref<number>
  amountsAre: Ref<AmountsAre>
  taxRates: Ref<TaxRate[]>
  /** A stored document's lines to start from (an invoice's, a credit note's or a bill's: the same shape). */
  document?: Pick<SalesDocument, 'lines'> | null
  /** Which of an item's defaults a chosen item fills in: its sales price, income account and sales tax (default), or its purchase ones (bills). */
  side?: 'sales' | 'purchases'
}) {
  let nextKey = 0
  function blankLine(): DocumentLineDraft {
    return { key: nextKey++, itemId: null, description: '', quantity: '1', unitPrice: '', discountPercent: '', accountId: null, taxRateId: null }
  }

  const lines = ref<DocumentLineDraft[]>(options.document
    ? options.document.lines.map(l => ({
        key: nextKey++,
        itemId: l.itemId,
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        discountPercent: isZeroAmount(l.discountPercent) ? '' : l.discountPercent,
        accountId: l.accountId,
        taxRateId: l.taxRateId,
      }))
    : [blankLine()])

  /** A row counts once anything but the default quantity is in it; empty rows are never sent. */
  const isUsed = (l: DocumentLineDraft) => !!(l.itemId || l.description.trim() || l.unitPrice.trim() || l.discountPercent.trim() || l.accountId || l.taxRateId)
  const usedLines = computed(() => lines.value.filter(isUsed))

  function lineProblems(line: DocumentLineDraft): DocumentLineProblems {
    if (!isUsed(line)) return {}
    const problems: DocumentLineProblems = {}
    if (!line.description.trim()) problems.description = 'A line needs a description'
    const quantity = parseAmount(line.quantity)
    const quantityIssue = quantity === null || quantity === '' ? quantityProblem('') : quantityProblem(quantity)
    if (quantityIssue) problems.quantity = quantityIssue
    const price = parseAmount(line.unitPrice)
    const priceIssue = price === null ? unitPriceProblem('x') : unitPriceProblem(price || '0')
    if (priceIssue) problems.unitPrice = priceIssue
    const discount = parseAmount(line.discountPercent)
    if (discount === null || (discount !== '' && discountProblem(discount))) problems.discountPercent = discountProblem('x')
    return problems
  }
  const hasLineProblems = computed(() => lines.value.some(l => Object.keys(lineProblems(l)).length > 0))

  const rateById = computed(() => new Map(options.taxRates.value.map(r => [r.id, r])))
  /** The live figures of every row (empty ones count as zero) and of the document. */
  const figures = computed(() => {
    const valid = (v: string, problem: string | undefined) => (problem ? '0' : parseAmount(v) || '0')
    return computeDocument({
      minorUnit: options.places.value,
      amountsAre: options.amountsAre.value,
      lines: lines.value.map((l) => {
        const problems = lineProblems(l)
        const rate = l.taxRateId ? rateById.value.get(l.taxRateId) : undefined
        return {
          quantity: valid(l.quantity, problems.quantity),
          unitPrice: valid(l.unitPrice, problems.unitPrice),
          discountPercent: valid(l.discountPercent, problems.discountPercent),
          taxRate: rate ? rateInput(rate) : null,
        }
      }),
    })
  })

  /** Figures read back in canonical form once the cell is left ("1,250.5" → "1250.50" for a price). */
  function tidy(line: DocumentLineDraft, field: 'quantity' | 'unitPrice' | 'discountPercent') {
    const parsed = parseAmount(line[field])
    if (!parsed || lineProblems(line)[field]) return
    const value = toDec(parsed)
    line[field] = field === 'unitPrice' ? value.toFixed(Math.max(options.places.value, value.decimalPlaces())) : value.toString()
  }

  /** An item chosen on a row fills what the item knows: description, price, income (or expense) account, tax rate. */
  function applyItem(line: DocumentLineDraft, item: Item | undefined) {
    line.itemId = item?.id ?? null
    if (!item) return
    line.description = item.description || item.name
    const purchases = options.side === 'purchases'
    const price = purchases ? item.purchasePrice : item.salesPrice
    if (price !== null) line.unitPrice = price
    line.accountId = purchases ? item.expenseAccountId : item.incomeAccountId
    line.taxRateId = purchases ? item.purchaseTaxRateId : item.salesTaxRateId
    if (!line.quantity.trim()) line.quantity = '1'
  }

  function addLine() {
    lines.value.push(blankLine())
  }

  /** Removes a row; the editor always shows at least one. */
  function removeLine(index: number) {
    lines.value.splice(index, 1)
    if (!lines.value.length) lines.value.push(blankLine())
  }

  /** Keeps only the used rows, so the server's `lines.N` paths point at the rows on screen. */
  function dropEmptyLines() {
    lines.value = usedLines.value.length ? [...usedLines.value] : [blankLine()]
  }

  /** The rows as the API takes them. */
  function body() {
    return usedLines.value.map(l => ({
      itemId: l.itemId,
      description: l.description.trim(),
      quantity: parseAmount(l.quantity) || l.quantity,
      unitPrice: parseAmount(l.unitPrice) || '0',
      discountPercent: parseAmount(l.discountPercent) || null,
      accountId: l.accountId,
      taxRateId: l.taxRateId,
    }))
  }

  return { lines, usedLines, lineProblems, hasLineProblems, figures, tidy, applyItem, addLine, removeLine, dropEmptyLines, body }
}

export type DocumentLines = ReturnType<typeof useDocumentLines>
