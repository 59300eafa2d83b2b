import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, writeFileAtomic } from '../../keystore/index.ts';
import { AccountStore } from '../accounts/index.ts';

/** What an operator chooses for a login server; kept as config.json in its data folder. */
export interface LoginServerConfig {
  domain: string;
  /** HOST:PORT the server listens on by default. */
  listen: string;
  /** Seconds between a peer's overlay refreshes (the paper's RefreshRate). */
  refreshRate: number;
  /** Lifetime of the certificates it issues. */
  certificateValidityDays: number;
  /** NodeURLs of permanent bootstrap peers, given to every peer that logs in. */
  bootstrap: string[];
  /**
   * Digest algorithms offered in a 401, most preferred first (RFC 8760). Default SHA-256, MD5.
   * Some older SIP clients (sipp 3.6 among them) answer only the first challenge and only know
   * MD5: list MD5 first for them.
   */
  digestAlgorithms?: Array<'SHA-256' | 'MD5'>;
}

export class LoginServerDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginServerDataError';
  }
}

/** The files of a login server's data folder. */
export function loginServerFiles(dir: string) {
  return {
    config: join(dir, 'config.json'),
    caCertificate: join(dir, 'ca-certificate.pem'),
    caKey: join(dir, 'ca-key.pem'),
    database: join(dir, 'accounts.db'),
  };
}

export const NONCE_SECRET_META = 'digest_nonce_secret';

/**
 * `chordline ls init`: a CA for the domain, an empty account database and the config. Refuses a
 * folder that already holds a login server, so a second init never replaces a CA that peers
 * already trust.
 */
export async function initLoginServer(
  dir: string,
  options: Partial<LoginServerConfig> & { domain: string },
): Promise<LoginServerConfig> {
  const files = loginServerFiles(dir);
  if (existsSync(files.config)) {
    throw new LoginServerDataError(
      `${dir} already holds a login server (config.json exists); use another --data folder`,
    );
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const config: LoginServerConfig = {
    domain: options.domain.toLowerCase(),
    listen: options.listen ?? '127.0.0.1:5060',
    refreshRate: options.refreshRate ?? 60,
    certificateValidityDays: options.certificateValidityDays ?? 30,
    bootstrap: options.bootstrap ?? [],
    digestAlgorithms: options.digestAlgorithms ?? ['SHA-256', 'MD5'],
  };
  const ca = await createCertificateAuthority({ domain: config.domain });
  await writeFileAtomic(files.caKey, ca.keyPem, 0o600);
  await writeFileAtomic(files.caCertificate, ca.certPem, 0o644);
  const store = AccountStore.open(files.database);
  try {
    store.setMeta(NONCE_SECRET_META, randomBytes(32).toString('hex'));
  } finally {
    store.close();
  }
  // config.json last: its presence means "initialised completely".
  await writeFileAtomic(files.config, JSON.stringify(config, null, 2) + '\n', 0o644);
  return config;
}

export async function readLoginServerConfig(dir: string): Promise<LoginServerConfig> {
  const files = loginServerFiles(dir);
  let text: string;
  try {
    text = await readFile(files.config, 'utf8');
  } catch {
    throw new LoginServerDataError(
      `${dir} holds no login server: run "chordline ls init --data ${dir} --domain DOMAIN" first`,
    );
  }
  try {
    return JSON.parse(text) as LoginServerConfig;
  } catch {
    throw new LoginServerDataError(`${files.config} is not valid JSON`);
  }
}
