/**
 * One formatting layer for every place a person reads a figure or a date: pages (through
 * composables/useFormat.ts), report files (server/domain/reports/export.ts) and e-mails. Pure
 * functions of a value and the organisation's settings, importable from server, worker and
 * browser alike (`#shared/format` in Nuxt code, a relative path in framework-free code).
 */
export * from './settings'
export * from './number'
export * from './date'
