/**
 * The ring benchmark's login server: a real LoginServer in its own process on 127.0.0.1 with the
 * ring's 200 users, which also reports its SIP counters, so that the peers' idle traffic can be
 * split into what goes to the login server (the revocation list, fetched every refresh period)
 * and what stays between peers. Run by worker-host.ts.
 */
import { initLoginServer, LoginServer } from '../../src-main/trust/login-server/index.ts';
import { tempFolders } from '../temp-folders.ts';
import { serveWorker } from '../worker-serve.ts';
import type { RingAccount } from './ring-protocol.ts';

export interface RingLoginServer {
  uri: string;
  caFingerprint: string;
  /** The RefreshRate it gives peers at login (seconds): their binding and revocation-list refresh. */
  refreshRate: number;
}

const folders = tempFolders();
let server: LoginServer | undefined;

serveWorker(
  {
    async start({ domain, users }: { domain: string; users: RingAccount[] }): Promise<RingLoginServer> {
      const dir = folders.make('ring-ls');
      await initLoginServer(dir, { domain, listen: '127.0.0.1:0' });
      server = await LoginServer.open(dir);
      for (const user of users) server.store.addUser(user.name, domain, user.password);
      await server.start({ host: '127.0.0.1', port: 0 });
      return {
        uri: server.uri,
        caFingerprint: server.caFingerprint,
        refreshRate: server.context.config.refreshRate,
      };
    },
    /** Datagram payload bytes the login server sent and received so far. */
    traffic(): { bytesSent: number; bytesReceived: number } {
      const stats = server?.sip?.stats;
      return { bytesSent: stats?.bytesSent ?? 0, bytesReceived: stats?.bytesReceived ?? 0 };
    },
  },
  () => {
    server?.stop();
    folders.removeAll();
  },
);
