import type { Ref } from 'vue'
import type { JournalEntry } from '#shared/types/ledger'
import { AMOUNT_MESSAGES, amountProblem, decimalsMessage } from '~~/server/domain/amount-rules'

/** A row of the entry editor as typed: amounts are what the person wrote, not yet parsed. */
export interface EntryLineDraft {
  key: number
  accountId: string | null
  debit: string
  credit: string
  description: string
}

export type LineProblems = { debit?: string, credit?: string }

/**
 * The entry editor's lines and what follows from them: totals and the difference summed with
 * decimal.js in the entry's currency (`currency`, with `places` decimals), per-line problems found
 * before the server sees them, in its words, and the rows actually used (empty rows are never sent).
 */
export function useEntryLines(currency: Ref<string>, places: Ref<number>, entry?: JournalEntry | null) {
  let nextKey = 0
  function blankLine(): EntryLineDraft {
    return { key: nextKey++, accountId: null, debit: '', credit: '', description: '' }
  }

  const lines = ref<EntryLineDraft[]>(entry
    ? entry.lines.filter(l => !l.isRounding).map(l => ({
        key: nextKey++,
        accountId: l.accountId,
        debit: isZeroAmount(l.debit) ? '' : l.debit,
        credit: isZeroAmount(l.credit) ? '' : l.credit,
        description: l.description ?? '',
      }))
    : [blankLine(), blankLine()])

  const totalDebit = computed(() => sumAmounts(lines.value.map(l => l.debit)))
  const totalCredit = computed(() => sumAmounts(lines.value.map(l => l.credit)))
  const difference = computed(() => totalDebit.value.minus(totalCredit.value))
  const balanced = computed(() => difference.value.isZero() && !totalDebit.value.isZero())

  /** What is wrong with a line before the server sees it, per field. */
  function lineProblems(line: EntryLineDraft): LineProblems {
    const problems: LineProblems = {}
    for (const side of ['debit', 'credit'] as const) {
      const parsed = parseAmount(line[side])
      // The server's limits in its words (server/domain/amount-rules.ts): digits, then the currency's decimals.
      if (parsed === null) problems[side] = AMOUNT_MESSAGES.notAnAmount
      else if (amountProblem(parsed || '0') === AMOUNT_MESSAGES.tooManyDigits) problems[side] = AMOUNT_MESSAGES.tooManyDigits
      else if (parsed.includes('.') && parsed.split('.')[1]!.length > places.value) problems[side] = decimalsMessage(places.value, currency.value)
    }
    if (!problems.debit && !problems.credit && !isZeroAmount(line.debit) && !isZeroAmount(line.credit)) problems.credit = 'Debit or credit, not both'
    return problems
  }
  const hasLineProblems = computed(() => lines.value.some(l => Object.keys(lineProblems(l)).length > 0))
  const usedLines = computed(() => lines.value.filter(l => l.accountId || !isZeroAmount(l.debit) || !isZeroAmount(l.credit) || l.description.trim()))

  /** Amounts read back in canonical form ("10,000" → "10000.00") once the cell is left. */
  function tidyAmount(line: EntryLineDraft, side: 'debit' | 'credit') {
    const parsed = parseAmount(line[side])
    if (parsed && !lineProblems(line)[side]) line[side] = toDec(parsed).toFixed(places.value)
  }

  function addLine() {
    lines.value.push(blankLine())
  }

  /** Removes a row; an entry always shows at least two. */
  function removeLine(index: number) {
    lines.value.splice(index, 1)
    if (lines.value.length < 2) lines.value.push(blankLine())
  }

  /** Keeps only the used rows (at least two), so the server's `lines.N` paths point at the rows on screen. */
  function dropEmptyLines() {
    lines.value = [...usedLines.value, ...(usedLines.value.length < 2 ? [blankLine()] : [])]
  }

  return { lines, totalDebit, totalCredit, difference, balanced, lineProblems, hasLineProblems, usedLines, tidyAmount, addLine, removeLine, dropEmptyLines }
}

export type EntryLines = ReturnType<typeof useEntryLines>
