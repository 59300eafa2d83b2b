/** A lab option out of range: the CLI turns it into a one-line usage error. */
export class InvalidLabOptionsError extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'InvalidLabOptionsError';
  }
}

/** The run was stopped (Ctrl-C): every peer, the login server and the temp folder are gone. */
export class LabInterruptedError extends Error {
  constructor() {
    super('interrupted: every peer and the login server were stopped and the lab folder removed');
    this.name = 'LabInterruptedError';
  }
}

/** The lab could not be set up (a login or a join failed outright); the run stops there. */
export class LabSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabSetupError';
  }
}
