export * from './platform'
export * from './identity'
export * from './audit'
export * from './idempotency'
