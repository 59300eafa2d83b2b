/**
 * Named errors of the account store. Each message says what to do; `sip/` and `cli/` decide how
 * to show them (a SIP status, an exit code). All extend `AccountStoreError` so a caller can catch
 * the family.
 */
export class AccountStoreError extends Error {
  override readonly name: string = 'AccountStoreError';
}

/** One account per address of record: the paper's unique namespace. */
export class AccountExistsError extends AccountStoreError {
  override readonly name = 'AccountExistsError';
  constructor(readonly aor: string) {
    super(`An account for ${aor} already exists; pick another username or remove the old account first.`);
  }
}

export class AccountNotFoundError extends AccountStoreError {
  override readonly name = 'AccountNotFoundError';
  constructor(readonly aor: string) {
    super(`There is no active account for ${aor}; check the spelling or list the users.`);
  }
}

export class InvalidUsernameError extends AccountStoreError {
  override readonly name = 'InvalidUsernameError';
}

export class InvalidDomainError extends AccountStoreError {
  override readonly name = 'InvalidDomainError';
}

export class InvalidAorError extends AccountStoreError {
  override readonly name = 'InvalidAorError';
}

export class InvalidPasswordError extends AccountStoreError {
  override readonly name = 'InvalidPasswordError';
}

export class CertificateExistsError extends AccountStoreError {
  override readonly name = 'CertificateExistsError';
}

export class CertificateNotFoundError extends AccountStoreError {
  override readonly name = 'CertificateNotFoundError';
  constructor(readonly serialOrFingerprint: string) {
    super(
      `No certificate has serial or fingerprint ${serialOrFingerprint}; list the user's certificates to find it.`,
    );
  }
}

export class InvalidCertificateRecordError extends AccountStoreError {
  override readonly name = 'InvalidCertificateRecordError';
}

export class InvalidRevocationReasonError extends AccountStoreError {
  override readonly name = 'InvalidRevocationReasonError';
}

/** The file was written by a newer Chordline; opening it with this one could damage it. */
export class SchemaTooNewError extends AccountStoreError {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The account database ${path} has schema version ${found}, but this Chordline understands up to ${supported}; ` +
        'upgrade Chordline or restore a backup.',
    );
  }
}

export class ReservedMetaKeyError extends AccountStoreError {
  override readonly name = 'ReservedMetaKeyError';
  constructor(readonly key: string) {
    super(`The meta key "${key}" is maintained by the account store itself and cannot be set directly.`);
  }
}

export class AccountStoreClosedError extends AccountStoreError {
  override readonly name = 'AccountStoreClosedError';
  constructor() {
    super('The account store has been closed; open it again before using it.');
  }
}

/** The file could not be opened as an account database (wrong path, not SQLite, no permission). */
export class AccountStoreOpenError extends AccountStoreError {
  override readonly name = 'AccountStoreOpenError';
}
