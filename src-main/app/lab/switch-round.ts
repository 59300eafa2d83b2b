import { fingerprintOf } from '../../keystore/index.ts';
import type { Prng } from '../../overlay/sim/prng.ts';
import { placeholderSdp } from '../calls/index.ts';
import type { Call } from '../calls/index.ts';
import { orderSwitch } from '../identity/order-switch.ts';
import { InvalidLabOptionsError, LabInterruptedError } from './lab-errors.ts';
import type { JoinedMember, LabNetwork } from './lab-network.ts';
import { waitUntil } from './wait-until.ts';

/** `identity=onehop`: the layer and the algorithm it switches to. */
export interface SwitchSpec {
  layer: string;
  algorithm: string;
}

export function parseSwitchSpec(text: string): SwitchSpec {
  const match = /^([a-z][a-z0-9-]*)=([a-z][a-z0-9-]*)$/.exec(text);
  if (!match)
    throw new InvalidLabOptionsError(`--switch wants LAYER=ALGORITHM (identity=onehop), not "${text}"`);
  if (match[1] !== 'identity')
    throw new InvalidLabOptionsError(`--switch can switch the identity layer only, not "${match[1]}"`);
  return { layer: match[1], algorithm: match[2] };
}

/** What one switch of the lab measured. */
export interface SwitchRound {
  layer: string;
  from: string;
  to: string;
  epoch: number;
  /** The peer that created the new overlay. */
  seed: string;
  /** From the announcement to every peer running the new algorithm alone; null if it never did. */
  switchMs: number | null;
  /** From the announcement to every peer asking the new algorithm first. */
  movedMs: number | null;
  /** Binding lookups (get(AOR), checked against the callee's NodeID) made while the switch ran. */
  lookups: number;
  lookupFailures: number;
  /** Calls answered before the switch and hung up after it. */
  calls: number;
  /** Of those, the ones that ended before their hang-up or not by it. */
  callsDropped: number;
  /** Revocation list version and CA fingerprint of every peer, the same after as before. */
  trustUnchanged: boolean;
  /** The first few failures, as sentences. */
  failed: string[];
}

export interface SwitchOptions {
  prng: Prng;
  /** Calls held open across the switch. */
  calls: number;
  /** Peers that look bindings up, one after another, for as long as the switch runs. */
  askers: number;
  /** How long every peer keeps the old overlay (the announcement's RetireAfter). */
  retireAfterMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One switch in the middle of a lab run (issue 6): calls are set up and held, several peers look
 * bindings up without pause, the login server's CA signs a SwitchLayer naming a random seed,
 * the seed gets it (as from the operator's tool on that machine) and it floods; the round ends
 * when every peer runs the new algorithm alone, then the calls are hung up and checked.
 */
export async function switchRound(
  network: LabNetwork,
  spec: SwitchSpec,
  options: SwitchOptions,
): Promise<SwitchRound> {
  const members = network.up();
  const from = members[0].layer!.active.algorithm;
  const trustBefore = members.map(trustOf);
  const failed: string[] = [];
  const note = (text: string) => failed.length < 5 && failed.push(text);

  for (const m of members) m.node.calls.onIncoming = (call) => call.answer(placeholderSdp('127.0.0.1'));
  const held: Call[] = [];
  for (let i = 0; i < options.calls; i++) {
    const [caller, callee] = pair(members, options.prng);
    const call = caller.node.dial(callee.node.identity.aor, {
      sdp: placeholderSdp('127.0.0.1'),
      ringTimeoutMs: 15_000,
    });
    if (await call.answered) held.push(call);
    else note(`${caller.name} could not call ${callee.name} before the switch`);
  }

  let running = true;
  let lookups = 0;
  let lookupFailures = 0;
  const askers = Array.from({ length: Math.min(options.askers, members.length) }, async (_, i) => {
    const asker = members[i];
    while (running) {
      const target = members[options.prng.below(members.length)];
      lookups++;
      const found = await asker.layer!.get(target.aor).catch((error: unknown) => error as Error);
      if (found instanceof Error || !found.some((b) => b.nodeId === target.node.identity.nodeId)) {
        lookupFailures++;
        note(
          `${asker.name} looked up ${target.name}: ${found instanceof Error ? found.message : 'not found'}`,
        );
      }
      // A pause between lookups keeps five askers from starving the peers they share a process with.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  const seed = members[options.prng.below(members.length)];
  const started = performance.now();
  let movedAt: number | null = null;
  const { announcement, reply } = await orderSwitch(
    network.loginServer,
    {
      layer: spec.layer,
      algorithm: spec.algorithm,
      seed: seed.layer!.active.self,
      retireAfterMs: options.retireAfterMs,
      after: seed.layer!.epoch,
    },
    (order) => seed.layer!.announce(order),
  );
  if (!reply.ok) note(`the seed ${seed.name} refused the switch: ${reply.status} ${reply.reason}`);
  const done = await waitUntil(
    () => {
      if (movedAt === null && members.every((m) => m.layer!.active.algorithm === spec.algorithm))
        movedAt = performance.now();
      return members.every((m) => m.layer!.active.algorithm === spec.algorithm && !m.layer!.phase.switching);
    },
    { timeoutMs: options.timeoutMs, pollMs: 20, signal: options.signal },
  );
  const switchMs = done ? performance.now() - started : null;
  running = false;
  await Promise.all(askers);
  if (!done) {
    const behind = members.filter(
      (m) => m.layer!.active.algorithm !== spec.algorithm || m.layer!.phase.switching,
    );
    note(
      `${behind.length} peers had not finished switching, e.g. ${behind
        .slice(0, 3)
        .map((m) => `${m.name} (${m.layer!.phase.name})`)
        .join(', ')}`,
    );
  }

  let callsDropped = 0;
  for (const call of held) {
    const wasUp = call.state === 'active';
    call.hangup();
    const end = await call.ended;
    if (!wasUp || end.by !== 'local') {
      callsDropped++;
      note(`a call held across the switch ended: ${end.status} ${end.reason}`);
    }
  }
  if (options.signal?.aborted) throw new LabInterruptedError();
  const trustAfter = members.map(trustOf);
  return {
    layer: spec.layer,
    from,
    to: spec.algorithm,
    epoch: announcement.epoch,
    seed: seed.name,
    switchMs,
    movedMs: movedAt === null ? null : movedAt - started,
    lookups,
    lookupFailures,
    calls: held.length,
    callsDropped,
    trustUnchanged: trustBefore.every((t, i) => t === trustAfter[i]),
    failed,
  };
}

function trustOf(m: JoinedMember): string {
  const caCertPem = m.node.keystore.identity().caCertPem ?? '';
  return `${m.node.status().revocationListVersion} ${fingerprintOf(caCertPem)}`;
}

function pair(members: readonly JoinedMember[], prng: Prng): [JoinedMember, JoinedMember] {
  const from = members[prng.below(members.length)];
  let to = members[prng.below(members.length - 1)];
  if (to === from) to = members[members.length - 1];
  return [from, to];
}
