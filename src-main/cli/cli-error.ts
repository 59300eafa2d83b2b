/**
 * An error the command line reports as one line and a non-zero exit status. `usage` errors
 * (bad flags) exit 2, everything else 1.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
