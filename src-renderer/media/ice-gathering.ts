import type { IceServer } from '../../src-main/ipc/contract.ts';

/** When an offer or answer stops waiting for more candidates. */
export interface GatheringRule {
  /**
   * The candidate that must have arrived before the description may go without waiting for
   * Chromium's "complete": a UDP host candidate ('host'), a STUN server's reflexive address
   * ('srflx') or a TURN server's relay ('relay'), the farthest kind the settings ask for.
   */
  awaits: 'host' | 'srflx' | 'relay';
  /** Once it has: this long without another candidate ends the wait. */
  quietMs: number;
  /** The wait never lasts longer, whatever comes or does not. */
  capMs: number;
}

/**
 * Host candidates come in one burst: Chromium enumerates the networks once and opens one UDP
 * socket per address at the same moment (measured: every address, IPv4 and IPv6, within 2 ms).
 */
const HOST_QUIET_MS = 50;
/** Servers answer after their own round trip, which differs from server to server. */
const SERVER_QUIET_MS = 150;
/**
 * A STUN or TURN server that does not answer would hold the call for Chromium's own timeout
 * (tens of seconds): after this the call goes with the candidates gathered so far.
 */
const CAP_MS = 3000;

/** What to wait for, given the STUN and TURN servers in Settings. */
export function gatheringRule(iceServers: readonly IceServer[]): GatheringRule {
  const urls = iceServers.flatMap((s) => s.urls.split(/[\s,]+/)).map((u) => u.trim().toLowerCase());
  const awaits = urls.some((u) => u.startsWith('turn:') || u.startsWith('turns:'))
    ? 'relay'
    : urls.some((u) => u.startsWith('stun:') || u.startsWith('stuns:'))
      ? 'srflx'
      : 'host';
  return { awaits, quietMs: awaits === 'host' ? HOST_QUIET_MS : SERVER_QUIET_MS, capMs: CAP_MS };
}

/**
 * SIP carries the whole session description in one INVITE or 200 (no trickle ICE, RFC 8838), so
 * an offer or answer goes out with the candidates gathered by then. Waiting for Chromium's
 * "complete" costs ~120 ms even on a machine with one address and no server: its allocator
 * opens TCP candidates in a later phase, 100 ms after the UDP ones, and ends gathering only
 * then. Those are active TCP candidates (RFC 6544 "tcp port 9"), which pair only with a passive
 * TCP candidate, and no peer of this phone (a browser, the Node echo peer, the desk-phone
 * bridge) offers one. So the wait ends at the first of:
 *
 * - gathering "complete" (or the null candidate that older Chromium sends first);
 * - the awaited kind of candidate has arrived and `quietMs` pass without another one;
 * - `capMs`.
 *
 * Without servers that is ~50 ms after the host burst. With a STUN server on a machine that has
 * a public address Chromium sends no reflexive candidate (it equals the host one): the wait then
 * ends at "complete", as before.
 */
export function iceGathered(pc: RTCPeerConnection, rule: GatheringRule = gatheringRule([])): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    let awaited = false;
    const done = () => {
      clearTimeout(cap);
      clearTimeout(quiet);
      pc.removeEventListener('icegatheringstatechange', changed);
      pc.removeEventListener('icecandidate', candidate);
      resolve();
    };
    const changed = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const candidate = (event: RTCPeerConnectionIceEvent) => {
      const c = event.candidate;
      if (c === null) return done();
      // An end-of-candidates marker of one generation (candidate ''): nothing to wait for.
      if (!c.candidate) return;
      awaited ||= c.type === rule.awaits && (rule.awaits !== 'host' || c.protocol === 'udp');
      if (!awaited) return;
      clearTimeout(quiet);
      quiet = setTimeout(done, rule.quietMs);
    };
    const cap = setTimeout(done, rule.capMs);
    pc.addEventListener('icegatheringstatechange', changed);
    pc.addEventListener('icecandidate', candidate);
  });
}
