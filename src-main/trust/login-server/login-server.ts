import { createPrivateKey, sign as rsaSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fingerprintOf } from '../../keystore/index.ts';
import { MemoryBindingStore, Registrar, SipStack } from '../../sip/index.ts';
import type { SipRequest, Tracer } from '../../sip/index.ts';
import { AccountStore, LoginThrottle } from '../accounts/index.ts';
import { DigestAuthenticator } from '../digest/index.ts';
import { signedText } from '../signing/index.ts';
import type { SignedParts } from '../signing/index.ts';
import type { LayerState } from '../../overlay/xml/index.ts';
import { readLayerStates, recordLayerSwitch } from './layer-states.ts';
import { handleRegister } from './handle-register.ts';
import { loginServerFiles, NONCE_SECRET_META, readLoginServerConfig } from './login-server-config.ts';
import type { LoginServerConfig } from './login-server-config.ts';
import { RevocationPublisher } from './revocation-publisher.ts';

export interface LoginServerStartOptions {
  host?: string;
  port?: number;
  trace?: Tracer;
  onError?: (error: unknown) => void;
}

/** Everything a REGISTER handler needs, built once per server. */
export interface LoginServerContext {
  config: LoginServerConfig;
  store: AccountStore;
  digest: DigestAuthenticator;
  throttle: LoginThrottle;
  registrar: Registrar;
  bindings: MemoryBindingStore;
  ca: { certPem: string; keyPem: string; key: KeyObject };
  revocations: RevocationPublisher;
  /** Signs with the CA key: the peer checks the login server's answers against the CA it pins. */
  signAsCa: (parts: SignedParts) => string;
  /** Peers that logged in recently, newest first: the bootstrap candidates. */
  recentPeers: Map<string, { nodeId: string; nodeUrl: string; aor: string; at: number }>;
  stats: { logins: number; refusals: number };
}

/**
 * The user trust overlay's login server (paper, sections 4.1 and 5.1): a SIP registrar at
 * sip:ls@DOMAIN that authenticates users with digest and answers a CertificateRequest with an
 * X.509 certificate signed by its CA, the CA certificate, bootstrap peers and the refresh rate.
 *
 * Lifecycle: `open()` reads the data folder; `start()` binds the UDP port; `stop()` closes
 * both and is safe to call twice.
 */
export class LoginServer {
  private stack: SipStack | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly context: LoginServerContext,
  ) {}

  static async open(dir: string): Promise<LoginServer> {
    const config = await readLoginServerConfig(dir);
    const files = loginServerFiles(dir);
    const [certPem, keyPem] = await Promise.all([
      readFile(files.caCertificate, 'utf8'),
      readFile(files.caKey, 'utf8'),
    ]);
    const store = AccountStore.open(files.database);
    const key = createPrivateKey(keyPem);
    const bindings = new MemoryBindingStore();
    const context: LoginServerContext = {
      config,
      store,
      digest: new DigestAuthenticator({
        realm: config.domain,
        secret: nonceSecret(store.getMeta(NONCE_SECRET_META)),
        algorithms: config.digestAlgorithms ?? ['SHA-256', 'MD5'],
      }),
      throttle: new LoginThrottle(),
      registrar: new Registrar(bindings, { minExpires: 10 }),
      bindings,
      ca: { certPem, keyPem, key },
      revocations: new RevocationPublisher(store, { certPem, key }),
      signAsCa: (parts) => rsaSign('sha256', Buffer.from(signedText(parts), 'utf8'), key).toString('base64'),
      recentPeers: new Map(),
      stats: { logins: 0, refusals: 0 },
    };
    return new LoginServer(dir, context);
  }

  get config(): LoginServerConfig {
    return this.context.config;
  }

  get store(): AccountStore {
    return this.context.store;
  }

  get caCertificate(): string {
    return this.context.ca.certPem;
  }

  /** The algorithm each switched layer runs now (layer-states.ts). */
  layerStates(): LayerState[] {
    return readLayerStates(this.context.store);
  }

  /**
   * Records a switch the operator ordered with this server's CA key, before it is announced:
   * peers that log in from now on are told to join `algorithm` at `epoch`. False when the epoch
   * is not newer than the one recorded.
   */
  recordLayerSwitch(state: LayerState): boolean {
    return recordLayerSwitch(this.context.store, state);
  }

  get caFingerprint(): string {
    return fingerprintOf(this.context.ca.certPem);
  }

  /** sip:ls@DOMAIN, reached at the address the server listens on. */
  get uri(): string {
    if (!this.stack) throw new Error('login server not started');
    return `sip:ls@${this.stack.hostport}`;
  }

  get sip(): SipStack | undefined {
    return this.stack;
  }

  async start(options: LoginServerStartOptions = {}): Promise<this> {
    if (this.stack) return this;
    const [defaultHost, defaultPort] = splitHostPort(this.config.listen);
    this.stack = await SipStack.listen({
      host: options.host ?? defaultHost,
      port: options.port ?? defaultPort,
      userAgent: 'Chordline login server',
      trace: options.trace,
      onError: options.onError,
    });
    this.stack.handle('REGISTER', (request: SipRequest) => handleRegister(this.context, request));
    return this;
  }

  stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.stack?.close();
    this.context.store.close();
  }
}

function splitHostPort(listen: string): [string, number] {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(listen);
  return m ? [m[1] || '127.0.0.1', Number(m[2])] : ['127.0.0.1', 5060];
}

/** Kept in the database so that nonces stay valid across a restart. */
function nonceSecret(hex: string | undefined): Uint8Array | undefined {
  return hex ? Buffer.from(hex, 'hex') : undefined;
}
