/**
 * A vendor's bank account as people type it and as everyone but `ap:pay` holders sees it (SPEC §4
 * "Encryption at rest", §5 `vendors`). Pure, no Node imports: the contract (which the vendor form
 * bundles) checks IBANs and BICs with these, and the server masks with the same function it shows.
 */

/** What the API takes and, to an `ap:pay` holder, reveals. */
export interface BankAccount {
  iban?: string | null
  accountNumber?: string | null
  bic?: string | null
  bankName?: string | null
}

/** What everyone else sees: the numbers masked, the bank's code and name as they are (not secret). */
export interface MaskedBankAccount {
  iban: string | null
  accountNumber: string | null
  bic: string | null
  bankName: string | null
}

/** The refusals, worded once for the contract (server/contracts/vendors.ts) and the vendor form. */
export const BANK_ACCOUNT_MESSAGES = {
  iban: 'must be an IBAN with valid check digits, e.g. DE89 3704 0044 0532 0130 00',
  bic: 'must be a BIC of 8 or 11 characters, e.g. COBADEFFXXX',
  accountNumber: 'must be 4–34 letters or digits (spaces, dots and dashes allowed)',
  missing: 'give an IBAN or an account number',
} as const

/** An account number without an IBAN: 4–34 letters or digits once spaces, dots and dashes are dropped. */
export function isValidAccountNumber(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9 .-]{3,39}$/.test(value.trim()) && normaliseAccountNumber(value).length <= 34
}

/** Spaces, dashes and dots dropped, upper case: `de89 3704-0044` → `DE8937040044`. */
export function normaliseAccountNumber(value: string): string {
  return value.replace(/[\s.-]/g, '').toUpperCase()
}

/** ISO 13616: two letters, two check digits, 11–30 letters or digits, and the mod-97 check equal to 1. */
export function isValidIban(value: string): boolean {
  const iban = normaliseAccountNumber(value)
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, c => String(c.charCodeAt(0) - 55))
  let rest = 0
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97
  return rest === 1
}

/** ISO 9362: bank (4 letters), country (2 letters), location (2), optional branch (3). */
export function isValidBic(value: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value.trim().toUpperCase())
}

/**
 * `DE89 **** **** 3000` for an IBAN (its country and check digits and its last four, the same
 * number of stars whatever its length: the mask says nothing about the rest); `**** 8801` for any
 * other number; nothing for one of 4 characters or fewer.
 */
export function maskAccountNumber(value: string): string {
  const n = normaliseAccountNumber(value)
  if (n.length <= 4) return '****'
  if (n.length > 8 && /^[A-Z]{2}\d{2}/.test(n)) return `${n.slice(0, 4)} **** **** ${n.slice(-4)}`
  return `**** ${n.slice(-4)}`
}

export function maskBankAccount(account: BankAccount): MaskedBankAccount {
  return {
    iban: account.iban ? maskAccountNumber(account.iban) : null,
    accountNumber: account.accountNumber ? maskAccountNumber(account.accountNumber) : null,
    bic: account.bic ?? null,
    bankName: account.bankName ?? null,
  }
}
