/**
 * The facts a document's page lists (`<DocumentsFacts>`), and the ones invoices, credit notes,
 * bills, receipts and payments all state the same way.
 */
export interface DocumentFact {
  title: string
  text: string
  /** A link instead of plain text. */
  to?: string
  testid?: string
  /** Figures and numbers in tabular digits. */
  tabular?: boolean
  /** Shown in the error colour (an overdue due date). */
  error?: boolean
}

/** "EUR · rate 1.0825 USD" for a foreign document, "USD" otherwise. */
export function currencyFact(doc: { currency: string, exchangeRate: string }, baseCurrency: string): DocumentFact {
  return { title: 'Currency', text: doc.currency === baseCurrency ? doc.currency : `${doc.currency} · rate ${doc.exchangeRate} ${baseCurrency}` }
}

export function amountsAreFact(doc: { amountsAre: 'exclusive' | 'inclusive' }): DocumentFact {
  return { title: 'Amounts', text: doc.amountsAre === 'inclusive' ? 'Tax inclusive' : 'Tax exclusive' }
}

/** A person as the pages name them: "you", else their name, else their e-mail. */
export function personName(person: { id: string, name?: string | null, email?: string | null } | null | undefined, myId: string | undefined): string {
  if (!person) return ''
  if (person.id === myId) return 'you'
  return person.name || person.email || 'someone else'
}
