import { createHash, createPublicKey, verify as rsaVerify } from 'node:crypto';
import { issueCertificate } from '../../keystore/index.ts';
import {
  findMessages,
  P2P_XML_CONTENT_TYPE,
  P2pXmlError,
  parseP2pXml,
  TRUST_LOGIN_SERVER,
} from '../../overlay/xml/index.ts';
import type { CertificateRequest, P2pDocument } from '../../overlay/xml/index.ts';
import { canonicalAor, requestParts } from '../../sip/index.ts';
import type { SipRequest } from '../../sip/index.ts';
import { signedText } from '../signing/index.ts';
import { respondSigned } from '../signed-sip.ts';
import { readLayerStates } from './layer-states.ts';
import type { LoginServerContext } from './login-server.ts';

/** How many recently seen peers a newcomer is given to bootstrap from. */
const BOOTSTRAP_COUNT = 3;

/**
 * One REGISTER at the login server (paper, Figure 2 (b)):
 *
 * ```
 *   REGISTER ──► body RevocationListRequest? ──yes──► 200 + signed RevocationList (no login needed)
 *      │ no
 *      ▼
 *   Authorization? ──no──► 401, one WWW-Authenticate per algorithm (RFC 8760: SHA-256, MD5)
 *      │ yes
 *      ▼
 *   digest ok? ──no──► 401 again (wrong password, stale nonce) or 403 (unknown user); slowed down
 *      │ yes            after repeated failures from one source
 *      ▼
 *   CertificateRequest? ──yes──► NodeID = SHA-1(PubKey)? signed with that key? ──► 200 + CertificateIssued
 *      │ no
 *      ▼
 *   plain registration (RFC 3261 section 10.3) ──► 200 with the bindings
 * ```
 */
export async function handleRegister(ctx: LoginServerContext, request: SipRequest): Promise<void> {
  const delay = ctx.throttle.delayFor(request.source.address);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

  let doc: P2pDocument | undefined;
  if (request.contentType === P2P_XML_CONTENT_TYPE) {
    try {
      doc = parseP2pXml(request.body);
    } catch (error) {
      const reason = error instanceof P2pXmlError ? error.reason : 'unreadable body';
      return refuse(ctx, request, 400, `Malformed P2P Body: ${reason}`);
    }
  } else if (request.body.length > 0) {
    return refuse(ctx, request, 415, 'Unsupported Media Type', [['Accept', P2P_XML_CONTENT_TYPE]]);
  }

  const listRequest = doc && findMessages(doc, 'RevocationListRequest', TRUST_LOGIN_SERVER)[0];
  if (listRequest) {
    // PROTOCOL.md section 5: nothing newer than what the peer holds, no body (and no 1.4 KB
    // datagram every refresh period).
    if (ctx.store.revocationVersion() <= listRequest.since)
      return request.respond(200, { reason: 'OK: up to date' });
    return respondSigned(
      request,
      200,
      { overlays: [{ ...TRUST_LOGIN_SERVER, messages: [ctx.revocations.current()] }] },
      ctx.signAsCa,
    );
  }

  const authorization = request.header('authorization');
  if (!authorization) return challenge(ctx, request);
  const check = ctx.digest.verify({
    method: 'REGISTER',
    authorizationHeader: authorization,
    lookupHa1: (username, realm, algorithm) => ctx.store.ha1For(username, realm, algorithm),
  });
  if (!check.ok) {
    if (!check.staleChallenge) ctx.throttle.recordFailure(request.source.address);
    if (check.reason === 'unknown-user') return refuse(ctx, request, 403, 'Forbidden: unknown user');
    if (check.reason === 'malformed')
      return refuse(ctx, request, 400, 'Bad Request: malformed Authorization');
    const reason = check.reason === 'wrong-password' ? 'Unauthorized: wrong password' : undefined;
    return challenge(ctx, request, check.staleChallenge, reason);
  }
  ctx.throttle.recordSuccess(request.source.address);

  const aor = canonicalAor(request.toUri);
  const authenticatedAor = `sip:${check.username}@${ctx.config.domain}`;
  if (aor.toLowerCase() !== authenticatedAor.toLowerCase()) {
    return refuse(ctx, request, 403, `Forbidden: logged in as ${authenticatedAor}, not ${aor}`);
  }
  const account = ctx.store.getUser(authenticatedAor);
  if (!account || account.disabled) return refuse(ctx, request, 403, 'Forbidden: account removed');

  const certificateRequest = doc && findMessages(doc, 'CertificateRequest', TRUST_LOGIN_SERVER)[0];
  if (certificateRequest && doc) return issue(ctx, request, doc, certificateRequest, account.aor);

  const result = ctx.registrar.register(request);
  request.respond(result.status, { reason: result.reason, headers: result.headers });
}

/** Figure 2 (b) continued: the login server answers with a certificate bound to the key. */
function issue(
  ctx: LoginServerContext,
  request: SipRequest,
  doc: P2pDocument,
  certificateRequest: CertificateRequest,
  aor: string,
): void {
  const spki = Buffer.from(certificateRequest.pubKey, 'base64');
  let publicKeyPem: string;
  try {
    publicKeyPem = createPublicKey({ key: spki, format: 'der', type: 'spki' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch {
    return refuse(ctx, request, 400, 'Bad Request: PubKey is not a public key');
  }
  // The NodeID is the SHA-1 of the key, so nobody chooses where they sit in the ring.
  const nodeId = createHash('sha1').update(spki).digest('hex');
  if (nodeId !== certificateRequest.nodeId) {
    return refuse(ctx, request, 403, 'Forbidden: NodeID does not match its public key');
  }
  // Proof of possession: the request is signed with the private key of the PubKey it carries.
  if (!doc.signature || !verifies(request, publicKeyPem, doc.signature)) {
    return refuse(ctx, request, 403, 'Forbidden: CertificateRequest not signed by its key');
  }
  let issued;
  try {
    issued = issueCertificate({
      ca: ctx.ca,
      aor,
      publicKeyPem,
      validitySeconds: ctx.config.certificateValidityDays * 86400,
    });
  } catch (error) {
    return refuse(ctx, request, 400, `Bad Request: ${(error as Error).message}`);
  }
  ctx.store.recordCertificate({
    serial: issued.serial,
    aor,
    nodeId: issued.nodeId,
    fingerprint: issued.fingerprint,
    notBefore: issued.notBefore.getTime(),
    notAfter: issued.notAfter.getTime(),
    pem: issued.certPem,
  });
  const contact = request.contacts.find((c) => !c.star);
  const bootstrap = bootstrapFor(ctx, nodeId);
  if (contact) {
    ctx.recentPeers.delete(nodeId);
    ctx.recentPeers.set(nodeId, { nodeId, nodeUrl: contact.uri, aor, at: Date.now() });
    if (ctx.recentPeers.size > 64) ctx.recentPeers.delete(ctx.recentPeers.keys().next().value as string);
  }
  ctx.stats.logins++;
  respondSigned(
    request,
    200,
    {
      overlays: [
        {
          ...TRUST_LOGIN_SERVER,
          messages: [
            {
              kind: 'CertificateIssued',
              certificate: der(issued.certPem),
              caCertificate: der(ctx.ca.certPem),
              bootstrap,
              refreshRate: ctx.config.refreshRate,
              revocationList: ctx.revocations.current(),
              layers: readLayerStates(ctx.store),
            },
          ],
        },
      ],
    },
    ctx.signAsCa,
  );
}

/** Configured bootstrap peers first, then the peers that logged in most recently. */
function bootstrapFor(ctx: LoginServerContext, except: string) {
  const fixed = ctx.config.bootstrap.map((nodeUrl) => ({ nodeUrl }));
  const recent = [...ctx.recentPeers.values()]
    .filter((p) => p.nodeId !== except)
    .reverse()
    .slice(0, BOOTSTRAP_COUNT)
    .map((p) => ({ nodeId: p.nodeId, nodeUrl: p.nodeUrl }));
  return [...fixed, ...recent];
}

function verifies(request: SipRequest, publicKeyPem: string, signatureB64: string): boolean {
  try {
    const text = signedText(requestParts(request));
    return rsaVerify('sha256', Buffer.from(text, 'utf8'), publicKeyPem, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

function challenge(ctx: LoginServerContext, request: SipRequest, stale = false, reason?: string): void {
  ctx.stats.refusals++;
  request.respond(401, {
    reason: reason ?? 'Unauthorized',
    headers: ctx.digest.challenge({ stale }).map((value) => ['WWW-Authenticate', value] as [string, string]),
  });
}

function refuse(
  ctx: LoginServerContext,
  request: SipRequest,
  status: number,
  reason: string,
  headers: Array<[string, string]> = [],
): void {
  ctx.stats.refusals++;
  request.respond(status, { reason, headers });
}

function der(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}
