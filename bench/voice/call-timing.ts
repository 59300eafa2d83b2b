import type { Page } from 'playwright-core';
import { probe } from '../../test/e2e/voice/voice-probe.ts';
import type { ConnectionTimes } from '../../test/e2e/voice/voice-probe.ts';
import { waitFor } from '../../test/e2e/voice/voice-story.ts';
import type { Person } from '../../test/e2e/voice/voice-stage.ts';

/** One call's setup, on the pages' clocks (one machine: the two pages' clocks agree). */
export interface CallTiming {
  /** The click on "Call Bob" to the dial command leaving the page (getUserMedia, offer, ICE). */
  clickToDialMs: number;
  /**
   * What the INVITE waited for ICE: the caller's setLocalDescription(offer) to the dial command
   * (the phone sends its offer once its gathering rule, src-renderer/media/ice-gathering.ts, is
   * met, which may be before Chromium says "complete").
   */
  iceGatherMs: number;
  /** Chromium's own gathering: setLocalDescription(offer) to icegatheringstate "complete". */
  chromiumGatherMs: number;
  /** Dial command sent (the INVITE leaves right after) to the callee's answer command (auto-accept, ICE). */
  dialToAnswerMs: number;
  /** Dial command sent to the caller's first inbound audio packet (remote track 'unmute'). */
  callerFirstAudioMs: number;
  /** Dial command sent to the callee's first inbound audio packet. */
  calleeFirstAudioMs: number;
}

const last = <T>(items: T[], ok: (item: T) => boolean): T | undefined => [...items].reverse().find(ok);

/** The newest connection of a page, once it has more than `before` and its first audio. */
async function firstAudio(page: Page, before: number, who: string): Promise<ConnectionTimes> {
  const timeline = await waitFor(
    `${who}'s first audio packet`,
    () => probe.timeline(page),
    (t) => t.length > before && t.at(-1)!.firstAudioAt !== undefined,
  );
  return timeline.at(-1)!;
}

/**
 * Alice calls Bob from her contacts (Bob's page accepts as soon as his phone rings, see
 * setAutoAnswer) and waits until both hear each other; the call stays up. Returns its timing.
 */
export async function callAndTime(alice: Person, bob: Person): Promise<CallTiming> {
  const a = alice.screen.page;
  const b = bob.screen.page;
  const [aBefore, bBefore] = [(await probe.timeline(a)).length, (await probe.timeline(b)).length];
  await alice.screen.go('Contacts');
  await a
    .getByRole('list', { name: 'Contacts' })
    .getByRole('listitem', { name: 'Bob' })
    .getByRole('button', { name: 'Call Bob' })
    .click();
  const caller = await firstAudio(a, aBefore, 'Alice');
  const callee = await firstAudio(b, bBefore, 'Bob');
  const click = last(await probe.clicks(a), (c) => c.label === 'Call Bob');
  const dial = last(await probe.commands(a), (c) => c.command === 'dial');
  const answer = last(await probe.commands(b), (c) => c.command === 'answer');
  if (!click || !dial || !answer || caller.offerAt === undefined || caller.gatheredAt === undefined) {
    throw new Error(
      `a moment of the call was not recorded: ${JSON.stringify({ click, dial, answer, caller })}`,
    );
  }
  return {
    clickToDialMs: dial.at - click.at,
    iceGatherMs: dial.at - caller.offerAt,
    chromiumGatherMs: caller.gatheredAt - caller.offerAt,
    dialToAnswerMs: answer.at - dial.at,
    callerFirstAudioMs: caller.firstAudioAt! - dial.at,
    calleeFirstAudioMs: callee.firstAudioAt! - dial.at,
  };
}

/** Alice hangs up; resolves once neither page has a connection open. */
export async function hangUp(alice: Person, bob: Person): Promise<void> {
  await alice.screen.page.getByRole('button', { name: 'Hang up', exact: true }).click();
  for (const person of [alice, bob]) {
    await waitFor(
      `${person.who}'s call closed`,
      () => probe.openConnections(person.screen.page),
      (n) => n === 0,
    );
  }
}
