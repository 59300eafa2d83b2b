/**
 * A small Chordline network for signing tests: a login-server CA, members with real RSA keys and
 * CA-issued certificates (made by the keystore, as in production), a fake clock, and helpers to
 * build, sign and tamper with REGISTER messages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createCertificateAuthority,
  generateKeyPair,
  issueCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
  type KeyPair,
} from '../../../../src-main/keystore/index.ts';
import {
  IDENTITY_CHORD,
  buildP2pXml,
  fillSignature,
  parseP2pXml,
  type Credential,
} from '../../../../src-main/overlay/xml/index.ts';
import {
  derFromPem,
  fingerprintOfDer,
  formatRfc1123Date,
  type Clock,
  type MessageSigner,
  type SignedParts,
  type VerifyInput,
} from '../../../../src-main/trust/signing/index.ts';

/** Time stands still unless a test moves it. Starts at the real now: certificates are issued from it. */
export class FakeClock implements Clock {
  constructor(private ms = Date.now()) {}

  now(): number {
    return this.ms;
  }

  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface Network {
  domain: string;
  ca: CertificateAuthority;
  caFingerprint: string;
}

export interface Member {
  aor: string;
  keys: KeyPair;
  cert: IssuedCertificate;
  identity: { privateKeyPem: string; certPem: string };
}

export async function createNetwork(domain = 'example.com'): Promise<Network> {
  const ca = await createCertificateAuthority({ domain });
  const der = derFromPem(ca.certPem);
  if (der === undefined) throw new Error('keystore returned an unreadable CA certificate');
  return { domain, ca, caFingerprint: fingerprintOfDer(der) };
}

export async function enrol(
  network: Network,
  user: string,
  options: { validitySeconds?: number; notBefore?: Date; keys?: KeyPair } = {},
): Promise<Member> {
  const keys = options.keys ?? (await generateKeyPair());
  const aor = `sip:${user}@${network.domain}`;
  const cert = issueCertificate({
    ca: network.ca,
    aor,
    publicKeyPem: keys.publicKeyPem,
    validitySeconds: options.validitySeconds ?? 86_400,
    notBefore: options.notBefore,
  });
  return { aor, keys, cert, identity: { privateKeyPem: keys.privateKeyPem, certPem: cert.certPem } };
}

/**
 * An application/p2p+xml body as a joining node sends it (paper, Figure 3 (a)): a
 * BootstrapRegRequest, the envelope credential, and the `<Signature/>` placeholder to sign.
 */
export function joinBody(member: Member, credential: Credential): string {
  return buildP2pXml({
    overlays: [
      {
        ...IDENTITY_CHORD,
        messages: [
          { kind: 'BootstrapRegRequest', nodeId: member.cert.nodeId, nodeUrl: 'sip:127.0.0.1:5070' },
        ],
      },
    ],
    credential,
    signature: '',
  });
}

let callCounter = 0;

/** A REGISTER from a member, dated by `clock`, with `<Signature/>` in its body, ready to sign. */
export function registerFrom(
  member: Member,
  clock: Clock,
  overrides: Partial<SignedParts> = {},
): SignedParts {
  callCounter += 1;
  return {
    kind: 'request',
    method: 'REGISTER',
    requestUri: 'sip:example.com',
    fromUri: member.aor,
    fromTag: `tag${callCounter}`,
    toUri: member.aor,
    callId: `call-${callCounter}@127.0.0.1`,
    cseq: callCounter,
    cseqMethod: 'REGISTER',
    date: formatRfc1123Date(clock.now()),
    body: joinBody(member, { kind: 'certificate-ref', fingerprint: member.cert.fingerprint }),
    ...overrides,
  } as SignedParts;
}

/**
 * What a receiver gets: the parts with the signature filled into the body (by the codec when the
 * body is one p2p+xml document, by text otherwise), and the signature.
 */
export function signAndSend(
  signer: MessageSigner,
  parts: SignedParts,
): { parts: SignedParts; signatureB64: string } {
  const signatureB64 = signer.sign(parts);
  const body = parts.body.startsWith('<P2Pxml')
    ? fillSignature(parts.body, signatureB64)
    : parts.body.replace('<Signature/>', `<Signature>${signatureB64}</Signature>`);
  return { parts: { ...parts, body }, signatureB64 };
}

/**
 * What a member's node puts on the wire to a peer: a signed REGISTER whose body carries the
 * whole certificate or its reference, as `signer.credentialsFor(peerKey)` decides. The receiver
 * reads signature and credential back out of the body with the codec, as sip/ will.
 */
export function signedRegister(
  member: Member,
  signer: MessageSigner,
  clock: Clock,
  options: { peerKey?: string; overrides?: Partial<SignedParts> } = {},
): VerifyInput {
  const credential = signer.credentialsFor(options.peerKey ?? 'bob');
  const unsigned = registerFrom(member, clock, { body: joinBody(member, credential), ...options.overrides });
  const { parts } = signAndSend(signer, unsigned);
  const received = parseP2pXml(parts.body);
  return { parts, signatureB64: received.signature ?? '', credential: received.credential };
}

/** Flips one character at `index` of a string to a different one of the same kind. */
export function flipCharAt(text: string, index: number): string {
  const c = text[index];
  const replacement = c === 'a' ? 'b' : c === '1' ? '2' : c === 'A' ? 'B' : 'a';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/**
 * Signs a certificate with the real openssl CLI, for certificates the keystore refuses to make
 * (that is its job): a NodeID that is not the key's, two AORs, a CA as a user.
 */
export function opensslIssue(options: {
  ca: CertificateAuthority;
  subjectKeyPem: string;
  subject: string;
  extensions: string;
  days?: number;
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'chordline-signing-'));
  try {
    const path = (name: string): string => join(dir, name);
    writeFileSync(path('ca.pem'), options.ca.certPem);
    writeFileSync(path('ca.key'), options.ca.keyPem);
    writeFileSync(path('user.key'), options.subjectKeyPem);
    writeFileSync(path('ext.cnf'), options.extensions);
    execFileSync(
      'openssl',
      ['req', '-new', '-key', path('user.key'), '-subj', options.subject, '-out', path('user.csr')],
      {
        stdio: 'pipe',
      },
    );
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        path('user.csr'),
        '-CA',
        path('ca.pem'),
        '-CAkey',
        path('ca.key'),
        '-set_serial',
        '0x1234abcd',
        '-days',
        String(options.days ?? 1),
        '-sha256',
        '-extfile',
        path('ext.cnf'),
        '-out',
        path('user.pem'),
      ],
      { stdio: 'pipe' },
    );
    return readFileSync(path('user.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
