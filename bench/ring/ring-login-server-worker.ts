/**
 * The ring benchmark's login server: a real LoginServer in its own process on 127.0.0.1 with the
 * ring's 200 users, which also reports its SIP counters, so that the peers' idle traffic can be
 * split into what goes to the login server (the revocation list, fetched every refresh period)
 * and what stays between peers. Its CA signs the identity benchmark's switch announcements (the
 * CA key never leaves this process). Run by worker-host.ts.
 */
import { issueSwitchAnnouncement } from '../../src-main/app/identity/switch-authority.ts';
import { initLoginServer, LoginServer } from '../../src-main/trust/login-server/index.ts';
import { tempFolders } from '../temp-folders.ts';
import { serveWorker } from '../worker-serve.ts';
import type { NodeRef, RingAccount, SwitchLayer } from './ring-protocol.ts';

/** `switchAnnouncement`: what the operator orders (`chordline ls switch`); the CA signs it. */
export interface SwitchOrder {
  layer: string;
  algorithm: string;
  epoch: number;
  seed: NodeRef;
  /** How long every peer keeps the old overlay (RetireAfter); default five 60 s periods. */
  retireAfterMs?: number;
}

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
    switchAnnouncement(order: SwitchOrder): SwitchLayer {
      if (!server) throw new Error('start first');
      return issueSwitchAnnouncement(order, server.context.ca.key);
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
