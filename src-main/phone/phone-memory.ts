import type { NodeRef } from '../overlay/overlay.ts';
import type { PhoneDatabase } from './phone-database.ts';

/** What the phone remembers about the network it is part of, between runs. */
export interface NetworkMemory {
  /** sip:ls@HOST:PORT */
  loginServer: string;
  domain: string;
  /** This app runs the network's login server (in DIR/network). */
  hosted: boolean;
  /** The network's RefreshRate in seconds, as its login server gave it (a resume has no login). */
  refreshRate?: number;
}

const KEYS = {
  network: 'network',
  sipPort: 'last_sip_port',
  loginServerPort: 'hosted_login_server_port',
  ringPeers: 'ring_peers',
} as const;

/** How many ring peers are remembered as bootstrap candidates for the next start. */
const RING_PEERS_KEPT = 16;

/**
 * Small facts kept in the phone database's meta table: which network, the ports last used (a
 * phone that comes back on the same address is found again by the ring's tables), and the ring
 * peers it last saw (so that a restart joins the ring rather than starting one of its own).
 */
export class PhoneMemory {
  private readonly sql;

  constructor(store: PhoneDatabase) {
    const { db } = store;
    this.sql = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      put: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      remove: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
    };
  }

  get network(): NetworkMemory | undefined {
    return this.read<NetworkMemory>(KEYS.network);
  }

  set network(value: NetworkMemory | undefined) {
    if (value === undefined) this.sql.remove.run(KEYS.network);
    else this.write(KEYS.network, value);
  }

  get sipPort(): number {
    return this.read<number>(KEYS.sipPort) ?? 0;
  }

  set sipPort(port: number) {
    this.write(KEYS.sipPort, port);
  }

  get loginServerPort(): number | undefined {
    return this.read<number>(KEYS.loginServerPort);
  }

  set loginServerPort(port: number | undefined) {
    if (port === undefined) this.sql.remove.run(KEYS.loginServerPort);
    else this.write(KEYS.loginServerPort, port);
  }

  get ringPeers(): NodeRef[] {
    const peers = this.read<NodeRef[]>(KEYS.ringPeers);
    return Array.isArray(peers)
      ? peers.filter((p) => typeof p?.id === 'string' && typeof p?.url === 'string')
      : [];
  }

  set ringPeers(peers: NodeRef[]) {
    this.write(KEYS.ringPeers, peers.slice(0, RING_PEERS_KEPT));
  }

  private read<T>(key: string): T | undefined {
    const row = this.sql.get.get(key);
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: unknown): void {
    this.sql.put.run(key, JSON.stringify(value));
  }
}
