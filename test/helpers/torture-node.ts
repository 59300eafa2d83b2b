import { SipStack } from '../../src-main/sip/index.ts';
import type { SipRequest } from '../../src-main/sip/index.ts';
import { checkAsUas } from '../../src-main/sip/uas-checks.ts';
import type { UasCapabilities } from '../../src-main/sip/uas-checks.ts';
import { DigestAuthenticator } from '../../src-main/trust/digest/index.ts';
import { WireTap } from './wire-tap.ts';

/**
 * A node that answers as a plain SIP user agent and registrar, for the RFC 4475 torture test
 * and the fuzz test. Its handlers stand in for the real peer (calls/) and login server
 * (trust/) until those exist; each is a function of the same shape as theirs will be, so a test
 * can register the real ones on `stack` instead.
 *
 * Policy, chosen to be what RFC 4475 section 3.3 expects of "an element" acting as UAS:
 * - every handler runs `checkAsUas` first (416, 420, 415, 406);
 * - INVITE: 481 for a To tag naming no dialog here (RFC 3261 section 12.2.2), else 200 with SDP;
 * - REGISTER: an open registrar that checks credentials when they come (RFC 4475 3.3.7: "A
 *   registrar that does care about challenge-response authentication will reject this request
 *   with a 401"), and wants a SIP or SIPS address of record in To (3.3.4);
 * - MESSAGE and OPTIONS: 200.
 */
export interface TortureNode {
  readonly stack: SipStack;
  readonly tap: WireTap;
  /** How often a handler ran, keyed "METHOD Call-ID". */
  readonly handled: Map<string, number>;
  /** The registrar's bindings: address of record → Contact values as answered. */
  readonly bindings: Map<string, string[]>;
  close(): void;
}

const SUPPORTED = ['path', 'outbound'];
const SDP_ANSWER = [
  'v=0',
  'o=torture 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 0 RTP/AVP 0',
  '',
].join('\r\n');

const OPTIONS_UAS: UasCapabilities = { supported: SUPPORTED, accept: ['application/sdp'] };
const INVITE_UAS: UasCapabilities = {
  supported: SUPPORTED,
  accept: ['application/sdp', 'multipart/mixed'],
  answers: ['application/sdp'],
};
const MESSAGE_UAS: UasCapabilities = {
  supported: SUPPORTED,
  accept: ['text/plain', 'multipart/mixed', 'application/p2p+xml'],
};
const REGISTER_UAS: UasCapabilities = { supported: SUPPORTED, accept: ['application/p2p+xml'] };

/** RFC 3261 section 10.2.1.1: 3600 s when the client names no expiry; the registrar may shorten it. */
const DEFAULT_EXPIRES = 3600;
const MAX_EXPIRES = 7200;

export async function startTortureNode(
  options: { onError?: (error: unknown) => void } = {},
): Promise<TortureNode> {
  const tap = new WireTap();
  const stack = await SipStack.listen({
    host: '127.0.0.1',
    port: 0,
    trace: tap.tracer,
    onError: options.onError,
  });
  const handled = new Map<string, number>();
  const bindings = new Map<string, string[]>();
  const authenticator = new DigestAuthenticator({ realm: 'torture.example' });
  const count = (request: SipRequest) => {
    const key = `${request.method} ${request.callId}`;
    handled.set(key, (handled.get(key) ?? 0) + 1);
  };
  const refused = (request: SipRequest, capabilities: UasCapabilities): boolean => {
    const refusal = checkAsUas(request, capabilities);
    if (refusal) request.respond(refusal.status, refusal);
    return refusal !== undefined;
  };

  stack.handle('OPTIONS', (request) => {
    count(request);
    if (refused(request, OPTIONS_UAS)) return;
    request.respond(200, {
      headers: [
        ['Allow', stack.allowedMethods.join(', ')],
        ['Accept', OPTIONS_UAS.accept.join(', ')],
        ['Supported', SUPPORTED.join(', ')],
      ],
    });
  });

  stack.handle('INVITE', (request) => {
    count(request);
    if (refused(request, INVITE_UAS)) return;
    if (request.toTag !== undefined) {
      request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
      return;
    }
    request.respond(200, {
      headers: [['Contact', `<${stack.uri}>`]],
      body: SDP_ANSWER,
      contentType: 'application/sdp',
    });
  });

  stack.handle('MESSAGE', (request) => {
    count(request);
    if (refused(request, MESSAGE_UAS)) return;
    request.respond(200);
  });

  stack.handle('REGISTER', (request) => {
    count(request);
    if (refused(request, REGISTER_UAS)) return;
    if (!/^sips?:/i.test(request.toUri)) {
      request.respond(400, { reason: 'Bad Request: To must hold a SIP or SIPS address of record' });
      return;
    }
    const authorization = request.header('authorization');
    if (authorization !== undefined) {
      const verdict = authenticator.verify({
        method: request.method,
        authorizationHeader: authorization,
        lookupHa1: () => undefined, // no accounts: only the login server (trust/) will have them
      });
      if (!verdict.ok) {
        const challenges = authenticator.challenge({ stale: verdict.staleChallenge });
        request.respond(401, { headers: challenges.map((c): [string, string] => ['WWW-Authenticate', c]) });
        return;
      }
    }
    const aor = request.toUri;
    for (const contact of request.contacts) {
      if (contact.star) {
        bindings.delete(aor);
        continue;
      }
      const seconds = Math.min(contact.expires ?? request.expires ?? DEFAULT_EXPIRES, MAX_EXPIRES);
      const value = `<${contact.uri}>;expires=${seconds}`;
      bindings.set(aor, [
        ...(bindings.get(aor) ?? []).filter((b) => !b.startsWith(`<${contact.uri}>`)),
        value,
      ]);
    }
    request.respond(200, { headers: (bindings.get(aor) ?? []).map((b): [string, string] => ['Contact', b]) });
  });

  return {
    stack,
    tap,
    handled,
    bindings,
    close: () => stack.close(),
  };
}
