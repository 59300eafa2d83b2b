import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLab, summaryLines } from '../../../src-main/app/lab/index.ts';
import type { LabEvent } from '../../../src-main/app/lab/index.ts';
import { chordline, chordlineDaemon } from '../../helpers/cli.ts';

/**
 * `chordline lab`: a newcomer's first command. A login server and real peers in one process,
 * over real UDP on 127.0.0.1, every Chord message a signed REGISTER.
 */
describe('chordline lab', () => {
  it('forms a ring of 8, places calls, kills 2 with no warning, heals, calls again, and says so in one JSON object', async () => {
    const run = await chordline(
      ['lab', '--peers', '8', '--calls', '5', '--kill', '2', '--seed', '42', '--json'],
      {
        timeoutMs: 90_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    expect(report).toMatchObject({
      ok: true,
      peers: 8,
      seed: 42,
      ring_correct: true,
      lookup_failures: 0,
      killed: 2,
      registrations: 8,
      registrations_found: 8,
      registrations_lost: 0,
      // 5 calls once the ring formed, 5 among the survivors once it healed.
      calls: 10,
      calls_failed: 0,
      problems: [],
    });
    // 20 keys from each of 8 nodes, then from each of the 6 survivors once healed.
    expect(report.lookups).toBe(8 * 20 + 6 * 20);
    expect(report.heal_ms).toEqual(expect.any(Number));
    expect(report.ring_form_ms).toEqual(expect.any(Number));
    expect(report.hops_mean).toEqual(expect.any(Number));
    expect(report.lookup_ms_p95).toBeGreaterThanOrEqual(report.lookup_ms_p50);
    expect(report.setup_ms_p50).toBeGreaterThan(0);
    expect(report.setup_ms_p95).toBeGreaterThanOrEqual(report.setup_ms_p50);
    expect(report.call_hops_mean).toEqual(expect.any(Number));
  }, 100_000);

  it('refuses a --calls that is not a whole number with one line', async () => {
    const run = await chordline(['lab', '--peers', '4', '--calls', 'many']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual(['chordline: --calls wants a whole number, not "many"']);
  });

  it('when two of twelve peers leave gracefully, the ring relinks and every survivor is still registered', async () => {
    const events: LabEvent[] = [];
    const report = await runLab(
      { peers: 12, leave: 2, lookups: 10, calls: 0, seed: 7 },
      { onEvent: (e) => events.push(e) },
    );

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.ring.correct).toBe(true);
    expect(report.lookups).toMatchObject({ lookups: 120, failures: 0 });
    expect(report.registrations).toMatchObject({ checked: 12, found: 12 });
    expect(report.leave).toMatchObject({ how: 'leave', healed: true });
    expect(report.leave?.peers).toHaveLength(2);
    expect(report.leave?.registrations).toMatchObject({ checked: 10, found: 10 });
    expect(report.leave?.lookups).toMatchObject({ lookups: 100, failures: 0 });
    expect(report.kill).toBeNull();
    expect(report.calls).toBeNull();

    // The plain output ends with the one line a newcomer reads.
    expect(summaryLines(report).at(-1)).toMatch(
      /^ring correct, 220\/220 lookups found the right owner, healed in [\d.]+ m?s, no registration lost$/,
    );
    // Nothing is left behind.
    const start = events.find((e) => e.kind === 'start');
    expect(start?.kind === 'start' && existsSync(start.folder)).toBe(false);
  }, 60_000);

  it('Ctrl-C stops every peer and removes the lab folder', async () => {
    const lab = await chordlineDaemon(['lab', '--peers', '6'], /data\s+\S+/);
    const folder = /data\s+(\S+)/.exec(lab.output())![1];
    expect(existsSync(folder)).toBe(true);
    expect(await lab.stop('SIGINT')).toBe(130);
    expect(lab.output()).toMatch(/chordline lab: interrupted/);
    expect(existsSync(folder)).toBe(false);
  }, 30_000);
});
