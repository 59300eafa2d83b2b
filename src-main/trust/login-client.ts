import {
  createPrivateKey,
  createPublicKey,
  sign as rsaSign,
  verify as rsaVerify,
  X509Certificate,
} from 'node:crypto';
import { describeCertificate, fingerprintOf } from '../keystore/index.ts';
import type { KeyStore } from '../keystore/index.ts';
import { findMessages, P2P_XML_CONTENT_TYPE, parseP2pXml, TRUST_LOGIN_SERVER } from '../overlay/xml/index.ts';
import type { BootstrapNode, LayerState, RevocationList } from '../overlay/xml/index.ts';
import {
  requestDestination,
  RequestTimeoutError,
  responseParts,
  TransportFailureError,
  UnroutableError,
} from '../sip/index.ts';
import type { SipResponse, SipStack } from '../sip/index.ts';
import { digestResponse } from './digest/index.ts';
import { signedText, verifyRevocationList } from './signing/index.ts';
import { signedRequest } from './signed-sip.ts';

export interface LoginOptions {
  stack: SipStack;
  /** sip:ls@HOST:PORT */
  loginServer: string;
  /**
   * sip:alice@example.com, or just "alice": the domain is then the realm of the login server's
   * digest challenge (the login server's realm is its domain).
   */
  aor: string;
  password: string;
  keystore: KeyStore;
  /** SHA-256 fingerprint of the CA to trust; without it the first CA seen is kept (trust on first use). */
  caFingerprint?: string;
  /** How long to wait for each answer of the login server (default 8 s, not SIP's 32). */
  timeoutMs?: number;
}

export interface LoginResult {
  certPem: string;
  caCertPem: string;
  aor: string;
  nodeId: string;
  bootstrap: BootstrapNode[];
  refreshRate: number;
  revocationList?: RevocationList;
  /** The algorithm each switched layer runs now (absent layers run their default). */
  layers: LayerState[];
}

export type LoginProblem =
  'wrong-password' | 'unknown-user' | 'unreachable' | 'refused' | 'untrusted-server' | 'bad-answer';

/** A failed login, with a message a person can act on. */
export class LoginError extends Error {
  constructor(
    readonly problem: LoginProblem,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/**
 * The joining peer's side of the paper's Figure 2 (b) and section 5.1: REGISTER a
 * CertificateRequest (NodeID, PubKey) signed with the new key; answer the 401 with digest
 * credentials; check the 200 OK's signature against the login server's CA; keep the certificate.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const { stack, keystore } = options;
  if (!keystore.hasIdentity()) await keystore.generateIdentity();
  const identity = keystore.identity();
  const key = createPrivateKey(identity.privateKeyPem);
  const sign = (parts: Parameters<typeof signedText>[0]) =>
    rsaSign('sha256', Buffer.from(signedText(parts), 'utf8'), key).toString('base64');
  const pubKey = createPublicKey(identity.publicKeyPem)
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
  const callId = `login-${identity.nodeId.slice(0, 12)}-${Date.now()}`;
  const fromTag = `ls${Date.now().toString(36)}`;
  const given = /^(?:sips?:)?([^@]+)(?:@(.+))?$/.exec(options.aor.trim());
  if (!given) throw new LoginError('refused', `"${options.aor}" is not a user name or sip: address`);
  const username = given[1];
  let aor = given[2] ? `sip:${username}@${given[2]}` : `sip:${username}@${hostOf(options.loginServer)}`;

  const destination = await reach(options.loginServer, () =>
    requestDestination(options.loginServer, undefined),
  );
  const send = (cseq: number, authorization?: string) =>
    stack.sendRequest(
      signedRequest(
        stack,
        {
          method: 'REGISTER',
          uri: options.loginServer,
          from: aor,
          fromTag,
          to: aor,
          callId,
          cseq,
          contact: `<sip:${username}@${stack.hostport}>`,
          headers: [
            ['Expires', '3600'],
            ...(authorization ? [['Authorization', authorization] as [string, string]] : []),
          ],
        },
        {
          overlays: [
            {
              ...TRUST_LOGIN_SERVER,
              messages: [{ kind: 'CertificateRequest', nodeId: identity.nodeId, pubKey }],
            },
          ],
        },
        sign,
      ),
      destination,
      { timeoutMs: options.timeoutMs ?? 8000 },
    );

  let response = await reach(options.loginServer, () => send(1));
  for (let cseq = 2; response.status === 401 && cseq <= 3; cseq++) {
    const challenges = response.headers('www-authenticate');
    if (challenges.length === 0)
      throw new LoginError('bad-answer', 'The login server sent 401 without a challenge');
    // A bare user name takes its domain from the realm: the login server's realm is its domain.
    const realm = /realm="([^"]+)"/i.exec(challenges[0])?.[1];
    if (!given[2] && realm) aor = `sip:${username}@${realm}`;
    const authorization = digestResponse({
      challengeHeaderValue: challenges,
      method: 'REGISTER',
      uri: options.loginServer,
      username,
      password: options.password,
    });
    response = await reach(options.loginServer, () => send(cseq, authorization));
    // A second 401 that is not "stale" means the password was wrong.
    if (
      response.status === 401 &&
      !/stale\s*=\s*"?true/i.test(response.headers('www-authenticate').join(','))
    ) {
      throw new LoginError('wrong-password', `Wrong password for ${aor}`, 401);
    }
  }
  if (response.status === 403 && /unknown user/i.test(response.reason)) {
    throw new LoginError(
      'unknown-user',
      `The login server has no user ${aor}: ask its operator to add you`,
      403,
    );
  }
  if (response.status !== 200) {
    throw new LoginError(
      'refused',
      `The login server refused: ${response.status} ${response.reason}`,
      response.status,
    );
  }
  return accept(options, response, identity.nodeId);
}

/** Checks the 200 OK end to end before anything from it is kept. */
async function accept(options: LoginOptions, response: SipResponse, nodeId: string): Promise<LoginResult> {
  if (response.contentType !== P2P_XML_CONTENT_TYPE) {
    throw new LoginError('bad-answer', 'The login server answered without a certificate');
  }
  const doc = parseP2pXml(response.body);
  const issued = findMessages(doc, 'CertificateIssued', TRUST_LOGIN_SERVER)[0];
  if (!issued || !doc.signature)
    throw new LoginError('bad-answer', 'The login server answered without a signed certificate');
  const caCertPem = pem(issued.caCertificate);
  const caFingerprint = fingerprintOf(caCertPem);
  const known = options.keystore.identity().caCertPem;
  const pinned = options.caFingerprint?.replace(/:/g, '').toLowerCase();
  if (pinned && pinned !== caFingerprint) {
    throw new LoginError(
      'untrusted-server',
      `The login server's CA (${caFingerprint}) is not the one configured (${pinned})`,
    );
  }
  if (!pinned && known && fingerprintOf(known) !== caFingerprint) {
    throw new LoginError(
      'untrusted-server',
      `The login server's CA changed since the last login (now ${caFingerprint}); if the operator really replaced it, import the new CA or start a new data folder`,
    );
  }
  const ca = new X509Certificate(caCertPem);
  const signed = rsaVerify(
    'sha256',
    Buffer.from(signedText(responseParts(response)), 'utf8'),
    ca.publicKey,
    Buffer.from(doc.signature, 'base64'),
  );
  if (!signed) throw new LoginError('untrusted-server', "The login server's answer is not signed by its CA");
  const certPem = pem(issued.certificate);
  const description = describeCertificate(certPem);
  if (description.nodeId !== nodeId)
    throw new LoginError('bad-answer', 'The certificate is not for this key');
  if (issued.revocationList && !verifyRevocationList(issued.revocationList, ca.publicKey)) {
    throw new LoginError('untrusted-server', 'The revocation list is not signed by the CA');
  }
  await options.keystore.saveCertificate(certPem, caCertPem);
  return {
    certPem,
    caCertPem,
    aor: description.aor,
    nodeId,
    bootstrap: [...issued.bootstrap],
    refreshRate: issued.refreshRate,
    revocationList: issued.revocationList,
    layers: [...(issued.layers ?? [])],
  };
}

async function reach<T>(server: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (
      error instanceof RequestTimeoutError ||
      error instanceof TransportFailureError ||
      error instanceof UnroutableError
    ) {
      throw new LoginError(
        'unreachable',
        `The login server ${server} did not answer: is it running, and is the address right?`,
      );
    }
    throw error;
  }
}

function hostOf(uri: string): string {
  return /@([^:;>]+|\[[^\]]+\])/.exec(uri)?.[1] ?? 'invalid';
}

function pem(base64Der: string): string {
  const lines = base64Der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
