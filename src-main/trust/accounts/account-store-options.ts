/** Settings of `AccountStore.open`; all optional. */
export interface AccountStoreOptions {
  /** Milliseconds since the epoch for created_at, issued_at and revoked_at (default `Date.now`). */
  readonly clock?: () => number;
  /**
   * How long a write waits for another connection's lock before failing (default 5000 ms). The
   * login server and the `chordline` CLI may open the same file at once.
   */
  readonly busyTimeoutMs?: number;
}
