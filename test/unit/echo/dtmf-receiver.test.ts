import { describe, expect, it } from 'vitest';
import { DtmfReceiver, dtmfKey, parseTelephoneEvent } from '../../../src-main/app/echo/dtmf-receiver.ts';

const SSRC = 0x1234_5678;

/** One telephone-event payload (RFC 4733 section 2.3). */
function payload(event: number, end: boolean, duration: number, volume = 10): Uint8Array {
  return Uint8Array.from([event, (end ? 0x80 : 0) | volume, duration >> 8, duration & 0xff]);
}

/** The packets a sender makes for one key: progress every 960 units, then the end three times. */
function press(event: number, timestamp: number, progress = 3, ssrc = SSRC) {
  const packets = [];
  for (let i = 1; i <= progress; i++)
    packets.push({ ssrc, timestamp, payload: payload(event, false, i * 960) });
  for (let i = 0; i < 3; i++)
    packets.push({ ssrc, timestamp, payload: payload(event, true, (progress + 1) * 960) });
  return packets;
}

describe('RFC 4733 telephone-event decoding', () => {
  it('reads the event, end bit, volume and duration of a payload', () => {
    expect(parseTelephoneEvent(payload(11, true, 0x1234, 37))).toEqual({
      event: 11,
      end: true,
      volume: 37,
      duration: 0x1234,
    });
    expect(parseTelephoneEvent(Uint8Array.from([1, 2, 3]))).toBeUndefined();
    expect([0, 9, 10, 11, 12, 15, 16].map(dtmfKey)).toEqual(['0', '9', '*', '#', 'A', 'D', undefined]);
  });

  it('counts each key once, although its end packet comes three times', () => {
    const dtmf = new DtmfReceiver();
    const completed = [...press(1, 1000), ...press(5, 9000), ...press(11, 17000)].map((p) => dtmf.push(p));
    expect(completed.filter((k) => k !== undefined)).toEqual(['1', '5', '#']);
    expect(dtmf.digits).toBe('15#');
  });

  it('the same key twice in a row is two presses (two timestamps)', () => {
    const dtmf = new DtmfReceiver();
    for (const p of [...press(7, 1000), ...press(7, 6000)]) dtmf.push(p);
    expect(dtmf.digits).toBe('77');
  });

  it('a key whose end packets were all lost is counted when the next key begins', () => {
    const dtmf = new DtmfReceiver();
    const lostEnds = press(2, 1000).filter((p) => !parseTelephoneEvent(p.payload)!.end);
    for (const p of [...lostEnds, ...press(3, 9000)]) dtmf.push(p);
    expect(dtmf.digits).toBe('23');
  });

  it('late and reordered packets of a finished key do not count it again', () => {
    const dtmf = new DtmfReceiver();
    const one = press(1, 1000);
    const two = press(2, 9000);
    for (const p of [
      ...one.slice(0, 2),
      ...one.slice(3),
      ...two.slice(0, 1),
      one[2],
      ...two.slice(1),
      one[4],
    ]) {
      dtmf.push(p);
    }
    expect(dtmf.digits).toBe('12');
  });

  it('an event longer than the duration field goes on under a new timestamp and is one key', () => {
    // Section 2.5.2.3: the next segment starts at the old timestamp plus 0xFFFF.
    const dtmf = new DtmfReceiver();
    dtmf.push({ ssrc: SSRC, timestamp: 0xffff_0000, payload: payload(0, false, 0x8000) });
    dtmf.push({ ssrc: SSRC, timestamp: 0xffff_0000, payload: payload(0, false, 0xffff) });
    const next = (0xffff_0000 + 0xffff) >>> 0;
    for (const p of press(0, next)) dtmf.push(p);
    expect(dtmf.digits).toBe('0');
  });

  it('keeps apart two senders (SSRCs) that use the same timestamps', () => {
    const dtmf = new DtmfReceiver();
    for (const p of [...press(4, 1000, 3, 1), ...press(4, 1000, 3, 2)]) dtmf.push(p);
    expect(dtmf.digits).toBe('44');
  });

  it('skips events that are not keys (flash) and counts short packets as malformed', () => {
    const dtmf = new DtmfReceiver();
    for (const p of press(16, 1000)) expect(dtmf.push(p)).toBeUndefined();
    expect(dtmf.push({ ssrc: SSRC, timestamp: 5000, payload: Uint8Array.from([1]) })).toBeUndefined();
    for (const p of press(12, 9000)) dtmf.push(p);
    expect(dtmf.digits).toBe('A');
    expect(dtmf.malformed).toBe(1);
  });
});
