import type { z } from 'zod'
import type { closingContracts, FiscalYearResource, RevaluationResource } from '~~/server/contracts/closing'

/** A fiscal year with its status and period counts (`GET /api/v1/fiscal-years`). */
export type FiscalYear = z.output<typeof FiscalYearResource>
/** A closed year with the closing entry the close posted (`POST /api/v1/fiscal-years/{id}/close`). */
export type ClosedFiscalYear = z.output<typeof closingContracts.closeFiscalYear.response>
/** A month-end revaluation: each foreign-currency account, the entry and its reversal (null when nothing moved). */
export type Revaluation = z.output<typeof RevaluationResource>

export function useFiscalYears() {
  return useApiFetch<{ data: FiscalYear[] }>('/api/v1/fiscal-years', { lazy: true })
}

/** Year-end close and revaluation; each throws the API's error for the caller to show. */
export function useClosingActions() {
  const api = useApi()
  return {
    closeYear: (year: Pick<FiscalYear, 'id'>) =>
      api<ClosedFiscalYear>(`/api/v1/fiscal-years/${year.id}/close`, { method: 'POST' }),
    revalue: (date: string) =>
      api<Revaluation>('/api/v1/revaluations', { method: 'POST', body: { date } }),
  }
}

/** "FY 2025" for a calendar year, "FY 2025/26" for one that spans two. */
export function fiscalYearName(year: Pick<FiscalYear, 'startDate' | 'endDate'>): string {
  const start = year.startDate.slice(0, 4)
  const end = year.endDate.slice(0, 4)
  return start === end ? `FY ${start}` : `FY ${start}/${end.slice(2)}`
}
