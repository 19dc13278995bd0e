/**
 * What a domain function may ask of the unit of work it runs in, besides its transaction: steps
 * that must wait until the transaction has committed (clearing a cache, waking a job, publishing
 * an event). The caller that opened the transaction (server/utils/tenant-write.ts for routes)
 * runs them after the commit, and never after a rollback.
 */
export interface AfterCommit {
  afterCommit: (hook: () => unknown) => void
}
