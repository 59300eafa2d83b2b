import type { Binding } from '../overlay.ts';
import type { StoredBinding } from './chord-messages.ts';
import { between, idOf, toPosition } from './ring.ts';

interface AorEntry {
  key: bigint;
  /** By contact: several devices may register one AOR. */
  contacts: Map<string, StoredBinding>;
}

/**
 * The bindings a node holds, as owner or replica: it does not tell the two apart, because who
 * owns a key changes with the ring while the data stays put. Copies of one contact merge by the
 * newer write, so replication and handover can be repeated in any order (datagrams are lost,
 * duplicated and reordered) and still agree.
 */
export class BindingStore {
  readonly #tombstoneMs: number;
  readonly #byAor = new Map<string, AorEntry>();

  constructor(tombstoneMs: number) {
    this.#tombstoneMs = tombstoneMs;
  }

  /** The ring key of an AOR: SHA-1(AOR). */
  static keyOf(aor: string): bigint {
    return toPosition(idOf(aor));
  }

  /** Takes a copy in if it is newer than the one held. Returns whether anything changed. */
  merge(binding: StoredBinding): boolean {
    let entry = this.#byAor.get(binding.aor);
    if (!entry) {
      entry = { key: BindingStore.keyOf(binding.aor), contacts: new Map() };
      this.#byAor.set(binding.aor, entry);
    }
    const held = entry.contacts.get(binding.contact);
    if (held && !isNewer(binding, held)) return false;
    entry.contacts.set(binding.contact, { ...binding });
    return true;
  }

  /** The registrations of an AOR that have not expired or been removed. */
  live(aor: string, now: number): StoredBinding[] {
    const entry = this.#byAor.get(aor);
    if (!entry) return [];
    return [...entry.contacts.values()].filter((binding) => isLive(binding, now)).map((b) => ({ ...b }));
  }

  /** Everything held (removals included, so that they travel too) whose key lies in (from, to]. */
  inRange(from: bigint, to: bigint): StoredBinding[] {
    return this.#select((key) => between(from, key, to, '(]'));
  }

  /** Everything held whose key lies outside (from, to]. */
  outside(from: bigint, to: bigint): StoredBinding[] {
    return this.#select((key) => !between(from, key, to, '(]'));
  }

  all(): StoredBinding[] {
    return this.#select(() => true);
  }

  /** Forgets expired registrations and removals older than the tombstone lifetime. */
  purge(now: number): void {
    for (const [aor, entry] of this.#byAor) {
      for (const [contact, binding] of entry.contacts) {
        const gone = isRemoval(binding)
          ? now > binding.writtenAt + this.#tombstoneMs
          : binding.expiresAt <= now;
        if (gone) entry.contacts.delete(contact);
      }
      if (entry.contacts.size === 0) this.#byAor.delete(aor);
    }
  }

  liveCount(now: number): number {
    let count = 0;
    for (const entry of this.#byAor.values()) {
      for (const binding of entry.contacts.values()) if (isLive(binding, now)) count++;
    }
    return count;
  }

  clear(): void {
    this.#byAor.clear();
  }

  #select(keep: (key: bigint) => boolean): StoredBinding[] {
    const out: StoredBinding[] = [];
    for (const entry of this.#byAor.values()) {
      if (keep(entry.key)) for (const binding of entry.contacts.values()) out.push({ ...binding });
    }
    return out;
  }
}

/** A write with expiresAt at or before its own time: REGISTER Expires: 0. */
export function isRemoval(binding: StoredBinding): boolean {
  return binding.expiresAt <= binding.writtenAt;
}

export function isLive(binding: StoredBinding, now: number): boolean {
  return !isRemoval(binding) && binding.expiresAt > now;
}

/** Last writer wins; between equal writes the longer registration does. */
function isNewer(a: StoredBinding, b: StoredBinding): boolean {
  return a.writtenAt > b.writtenAt || (a.writtenAt === b.writtenAt && a.expiresAt > b.expiresAt);
}

/** The contract's Binding (without the write time) for callers of get(). */
export function toBinding(binding: StoredBinding): Binding {
  const { aor, contact, nodeId, certificateFingerprint, expiresAt } = binding;
  return { aor, contact, nodeId, certificateFingerprint, expiresAt };
}
