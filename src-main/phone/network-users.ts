import type { NetworkUser, NetworkUserInput } from '../ipc/contract.ts';
import { PHONE_ERROR_CODES as CODES, PhoneCommandError } from '../ipc/phone-error.ts';
import { AccountExistsError, AccountNotFoundError } from '../trust/accounts/index.ts';
import type { LoginServer } from '../trust/login-server/index.ts';
import { isEchoAccount } from './hosted-echo.ts';

/**
 * The accounts of the login server this phone hosts: who may join the network it created. What
 * `chordline ls user add|remove|list` does for a stand-alone login server.
 */
export class NetworkUsers {
  constructor(
    private readonly ls: LoginServer,
    private readonly selfAor: string,
  ) {}

  list(): NetworkUser[] {
    return this.ls.store
      .listUsers()
      .filter((account) => !isEchoAccount(this.ls, account.aor))
      .map((account) => ({ aor: account.aor, user: account.username, createdAt: account.createdAt }));
  }

  add(input: NetworkUserInput): NetworkUser[] {
    try {
      this.ls.store.addUser(input.user, this.ls.config.domain, input.password);
    } catch (error) {
      if (error instanceof AccountExistsError) {
        const aor = this.aorOf(input.user);
        const whose = isEchoAccount(this.ls, aor) ? 'is the network’s echo test' : 'already has an account';
        throw new PhoneCommandError(CODES.userExists, `${aor} ${whose}: choose another name`);
      }
      throw new PhoneCommandError(CODES.invalidInput, (error as Error).message);
    }
    return this.list();
  }

  /** Removes the account; the login server revokes its certificates, and peers learn it at their next refresh. */
  remove(user: string): NetworkUser[] {
    const aor = this.aorOf(user);
    if (aor.toLowerCase() === this.selfAor.toLowerCase()) {
      throw new PhoneCommandError(CODES.invalidInput, 'You cannot remove yourself from the network you host');
    }
    if (isEchoAccount(this.ls, aor)) {
      throw new PhoneCommandError(CODES.invalidInput, `${aor} is the network’s echo test, not a person`);
    }
    try {
      this.ls.store.removeUser(aor);
    } catch (error) {
      if (error instanceof AccountNotFoundError) {
        throw new PhoneCommandError(CODES.noSuchUser, `${aor} has no account in this network`);
      }
      throw error;
    }
    return this.list();
  }

  private aorOf(user: string): string {
    return `sip:${user}@${this.ls.config.domain}`;
  }
}
