import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { attachEcho } from '../app/echo/index.ts';
import type { EchoHandle } from '../app/echo/index.ts';
import { identityAlgorithms, joinIdentityLayer } from '../app/identity-layer.ts';
import { PeerNode } from '../app/peer-node.ts';
import { joinPresenceLayer } from '../app/presence/index.ts';
import type { Tracer } from '../sip/index.ts';
import type { LoginServer } from '../trust/login-server/index.ts';

/** The echo test's user name on every network (NetworkView.echoTest is sip:echo@DOMAIN). */
export const ECHO_USER = 'echo';
/** Marks the account as the app's own, so that a person named "echo" is never taken over. */
const ECHO_META = 'echo-test-account';

/** The account the app made for its echo test (not a person's, even if called "echo"). */
export function isEchoAccount(ls: LoginServer, aor: string): boolean {
  return ls.store.getMeta(ECHO_META) === aor.toLowerCase() && aor.toLowerCase() === echoAor(ls);
}

function echoAor(ls: LoginServer): string {
  return `sip:${ECHO_USER}@${ls.config.domain}`;
}

export interface HostedEchoOptions {
  /** The hosted network's folder: the echo peer keeps its key store in DIR/echo-peer. */
  networkDir: string;
  passphrase: string;
  host: string;
  refreshSeconds: number;
  trace?: Tracer;
  onError: (error: unknown) => void;
}

/**
 * The network's echo test, run by the phone that hosts the network (issue 5: "the network
 * created on first run includes one"): a second peer in this process with its own key store
 * and certificate for sip:echo@DOMAIN, in the ring like any peer, answering every WebRTC call
 * with the audio it receives. Its account is the app's: a password nobody needs, set afresh at
 * each start (the login is local). A person already called "echo" keeps the name; the network
 * then has no echo test, and the phone says so in its log.
 */
export class HostedEcho {
  private constructor(
    private readonly node: PeerNode,
    private readonly echo: EchoHandle,
  ) {}

  static async start(ls: LoginServer, options: HostedEchoOptions): Promise<HostedEcho | undefined> {
    const domain = ls.config.domain;
    const aor = echoAor(ls);
    const password = randomBytes(24).toString('base64url');
    const existing = ls.store.getUser(aor);
    if (existing && ls.store.getMeta(ECHO_META) !== aor) {
      options.onError(new Error(`${aor} is a person's account: this network has no echo test`));
      return undefined;
    }
    if (existing) ls.store.setPassword(aor, password);
    else {
      ls.store.addUser(ECHO_USER, domain, password);
      ls.store.setMeta(ECHO_META, aor);
    }
    const node = await PeerNode.open({
      dataDir: join(options.networkDir, 'echo-peer'),
      passphrase: options.passphrase,
      host: options.host,
      port: 0,
      trace: options.trace,
      onError: options.onError,
    });
    try {
      await node.login({ loginServer: ls.uri, aor, password });
      const registry = identityAlgorithms({ refreshMs: options.refreshSeconds * 1000 });
      await joinIdentityLayer(node, { registry });
      // The echo test is a contact like any other: it publishes its presence.
      await joinPresenceLayer(node, { settings: { refreshMs: options.refreshSeconds * 1000 } }).catch(
        (error: unknown) => options.onError(error),
      );
      return new HostedEcho(node, attachEcho(node));
    } catch (error) {
      node.stop();
      throw error;
    }
  }

  stats() {
    return this.echo.stats();
  }

  async refreshRevocations(loginServer: string): Promise<void> {
    await this.node.refreshRevocations(loginServer).catch(() => false);
  }

  /** Graceful: echo calls hung up, the ring told. */
  async leave(): Promise<void> {
    await this.echo.close().catch(() => undefined);
    await this.node.leave().catch(() => undefined);
    this.node.stop();
  }

  stop(): void {
    void this.echo.close().catch(() => undefined);
    this.node.stop();
  }
}
