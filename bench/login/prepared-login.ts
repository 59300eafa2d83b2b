import { createPrivateKey, createPublicKey, sign as rsaSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { generateKeyPair, nodeIdOf } from '../../src-main/keystore/index.ts';
import { TRUST_LOGIN_SERVER } from '../../src-main/overlay/xml/index.ts';
import type { SipStack } from '../../src-main/sip/index.ts';
import { signedText } from '../../src-main/trust/signing/index.ts';
import { signedRequest } from '../../src-main/trust/signed-sip.ts';

/** A user of the login server with a key pair made before the benchmark (keygen is the client's cost). */
export interface LoginUser {
  name: string;
  password: string;
  key: KeyObject;
  nodeId: string;
  pubKeyBase64: string;
}

/**
 * Both REGISTERs of one login (Figure 2 (b)), built and signed in advance. The second one gets
 * its Authorization header at send time, after the 401: Authorization is not among the signed
 * parts, so inserting it after the start line keeps the signature good.
 */
export interface PreparedLogin {
  user: LoginUser;
  callId: string;
  first: Buffer;
  /** The second REGISTER split after its start line, where Authorization goes. */
  secondStart: string;
  secondRest: string;
}

export async function makeUsers(names: Array<[name: string, password: string]>): Promise<LoginUser[]> {
  return Promise.all(
    names.map(async ([name, password]) => {
      const keys = await generateKeyPair();
      return {
        name,
        password,
        key: createPrivateKey(keys.privateKeyPem),
        nodeId: nodeIdOf(keys.publicKeyPem),
        pubKeyBase64: createPublicKey(keys.publicKeyPem)
          .export({ type: 'spki', format: 'der' })
          .toString('base64'),
      };
    }),
  );
}

export function prepareLogins(options: {
  stack: SipStack;
  users: LoginUser[];
  loginServer: string;
  domain: string;
  sentBy: string;
  count: number;
  batch: string;
}): PreparedLogin[] {
  const now = Date.now();
  const prepared: PreparedLogin[] = [];
  for (let i = 0; i < options.count; i++) {
    const user = options.users[i % options.users.length];
    const callId = `login-${options.batch}-${i}`;
    const aor = `sip:${user.name}@${options.domain}`;
    const sign = (parts: Parameters<typeof signedText>[0]) =>
      rsaSign('sha256', Buffer.from(signedText(parts), 'utf8'), user.key).toString('base64');
    const build = (cseq: number) => {
      const outgoing = signedRequest(
        options.stack,
        {
          method: 'REGISTER',
          uri: options.loginServer,
          from: aor,
          fromTag: `l${options.batch}x${i}`,
          to: aor,
          callId,
          cseq,
          contact: `<sip:${user.name}@${options.sentBy}>`,
          headers: [['Expires', '3600']],
        },
        {
          overlays: [
            {
              ...TRUST_LOGIN_SERVER,
              messages: [{ kind: 'CertificateRequest', nodeId: user.nodeId, pubKey: user.pubKeyBase64 }],
            },
          ],
        },
        sign,
        now,
      );
      outgoing.raw.prepend('Via', `SIP/2.0/UDP ${options.sentBy};branch=z9hG4bK-${callId}-${cseq};rport`);
      return outgoing.toString();
    };
    const second = build(2);
    const lineEnd = second.indexOf('\r\n') + 2;
    prepared.push({
      user,
      callId,
      first: Buffer.from(build(1), 'latin1'),
      secondStart: second.slice(0, lineEnd),
      secondRest: second.slice(lineEnd),
    });
  }
  return prepared;
}
