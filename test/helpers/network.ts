import { KeyStore } from '../../src-main/keystore/index.ts';
import { SipStack } from '../../src-main/sip/index.ts';
import type { TraceEvent } from '../../src-main/sip/index.ts';
import { login } from '../../src-main/trust/login-client.ts';
import type { LoginResult } from '../../src-main/trust/login-client.ts';
import { initLoginServer, LoginServer } from '../../src-main/trust/login-server/index.ts';
import { tempDirs } from './temp-dir.ts';

/**
 * A small real network for stories: a login server on 127.0.0.1 with its own CA and database,
 * and peers with their own key stores, each on its own UDP socket.
 */
export async function startNetwork(options: { domain?: string; users?: Record<string, string> } = {}) {
  const dirs = tempDirs();
  const domain = options.domain ?? 'example.com';
  const lsDir = dirs.make('chordline-ls-');
  await initLoginServer(lsDir, { domain, listen: '127.0.0.1:0' });
  const ls = await LoginServer.open(lsDir);
  for (const [user, password] of Object.entries(options.users ?? {}))
    ls.store.addUser(user, domain, password);
  await ls.start({ host: '127.0.0.1', port: 0 });
  const stacks: SipStack[] = [];

  return {
    ls,
    domain,
    dirs,
    /** A peer's SIP stack and key store, not logged in yet. */
    async peer(name: string, trace?: (e: TraceEvent) => void) {
      const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, trace });
      stacks.push(stack);
      const keystore = await KeyStore.open(dirs.make(`chordline-${name}-`), `${name} passphrase`);
      return {
        stack,
        keystore,
        aor: `sip:${name}@${domain}`,
        login: (password: string): Promise<LoginResult> =>
          login({ stack, keystore, loginServer: ls.uri, aor: `sip:${name}@${domain}`, password }),
      };
    },
    stop() {
      for (const s of stacks) s.close();
      ls.stop();
      dirs.cleanup();
    },
  };
}
