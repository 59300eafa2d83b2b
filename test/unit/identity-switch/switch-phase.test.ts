import { describe, expect, it } from 'vitest';
import { InvalidSwitchTransitionError, SwitchPhase } from '../../../src-main/app/identity/switch-phase.ts';
import { floodTargets } from '../../../src-main/app/identity/flood-targets.ts';

describe('the switch of one peer', () => {
  it('goes steady → joining → checking → moved → steady, and remembers when', () => {
    let now = 0;
    const phase = new SwitchPhase(() => now++);
    expect(phase.switching).toBe(false);
    for (const event of ['accept', 'joined', 'agree', 'grace-over'] as const) phase.on(event);
    expect(phase.history.map((h) => h.phase)).toEqual(['joining', 'checking', 'moved', 'steady']);
    expect(phase.switching).toBe(false);
  });

  it('when the seed is dead and nobody runs the new algorithm, aborts back to steady', () => {
    const phase = new SwitchPhase();
    phase.on('accept');
    expect(phase.on('abort')).toBe('steady');
  });

  it('refuses a second accept while switching (the announcement arriving twice)', () => {
    const phase = new SwitchPhase();
    phase.on('accept');
    expect(() => phase.on('accept')).toThrow(InvalidSwitchTransitionError);
  });

  it('cannot abort once lookups moved to the new overlay', () => {
    const phase = new SwitchPhase();
    phase.on('accept');
    phase.on('joined');
    phase.on('agree');
    expect(() => phase.on('abort')).toThrow('A switch cannot go from moved on abort');
  });
});

describe('where a peer forwards the announcement', () => {
  const node = (n: number) => ({ id: n.toString(16).padStart(40, '0'), url: `sip:127.0.0.1:${5000 + n}` });
  const state = (tables: Record<string, unknown>) => ({
    layer: 'identity',
    algorithm: 'onehop',
    self: node(10),
    joined: true,
    tables,
    bindings: 0,
  });

  it('three successors in id order, then nodes 2, 4, 8... places on, never itself', () => {
    const members = Array.from({ length: 40 }, (_, i) => node(i + 1));
    const picked = floodTargets(state({ members })).map((n) => parseInt(n.id, 16));
    // Clockwise from 10: 11, 12, 13 are next; then the 5th, 9th, 17th, 33rd after it.
    expect(picked).toEqual([11, 12, 13, 15, 19, 27, 3]);
  });

  it('finds nodes wherever chord keeps them (successors, predecessor, fingers)', () => {
    const tables = {
      successors: [node(11), node(12)],
      predecessor: node(9),
      fingers: [{ start: 'x', node: node(20) }],
    };
    expect(floodTargets(state(tables)).map((n) => parseInt(n.id, 16))).toEqual([11, 12, 20]);
  });
});
