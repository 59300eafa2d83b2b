/** The login server's accounts: SQLite store, SIP identities, failed-login throttle. */
export { AccountStore, META_DOMAIN, type StoreDiagnostics } from './account-store.ts';
export type { AccountStoreOptions } from './account-store-options.ts';
export {
  REVOCATION_REASONS,
  type Account,
  type CertificateRecord,
  type NewCertificate,
  type RemovedAccount,
  type Revocation,
  type RevocationReason,
} from './account-records.ts';
export { SCHEMA_VERSION } from './account-schema.ts';
export * from './account-errors.ts';
export { formatAor, normalizeDomain, parseAor, validateUsername } from './sip-identity.ts';
export { LoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
