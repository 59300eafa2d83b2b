import type { Prng } from '../../overlay/sim/prng.ts';
import { LabInterruptedError } from './lab-errors.ts';
import type { JoinedMember } from './lab-network.ts';
import { within } from './wait-until.ts';

const GET_DEADLINE_MS = 10_000;

export interface RegistrationCheck {
  checked: number;
  found: number;
  /** The first few registrations not found, as sentences. */
  missing: string[];
}

/**
 * Every member's registration (the binding joinIdentityLayer put at the node responsible for
 * SHA-1(AOR)), fetched with overlay.get(aor) from another member picked at random: found when a
 * binding names the member's own NodeID.
 */
export async function checkRegistrations(
  members: readonly JoinedMember[],
  options: { prng: Prng; signal?: AbortSignal },
): Promise<RegistrationCheck> {
  const check: RegistrationCheck = { checked: 0, found: 0, missing: [] };
  for (const [i, member] of members.entries()) {
    if (options.signal?.aborted) throw new LabInterruptedError();
    const asker = members[(i + 1 + options.prng.below(members.length - 1)) % members.length];
    check.checked++;
    let why: string;
    try {
      const bindings = await within(asker.overlay.get(member.aor), GET_DEADLINE_MS, () => {
        throw new Error(`no answer within ${GET_DEADLINE_MS / 1000} s`);
      });
      if (bindings.some((b) => b.nodeId === member.overlay.self.id)) {
        check.found++;
        continue;
      }
      why = bindings.length === 0 ? 'no binding' : `${bindings.length} binding(s), none of its device`;
    } catch (error) {
      if (options.signal?.aborted) throw new LabInterruptedError();
      why = (error as Error).message;
    }
    if (check.missing.length < 5) check.missing.push(`${member.aor} (asked from ${asker.name}): ${why}`);
  }
  return check;
}
