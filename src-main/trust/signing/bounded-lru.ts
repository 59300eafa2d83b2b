/**
 * A Map with a size limit that forgets the least recently used entry first.
 *
 * Every memory the trust layer keeps about strangers (certificates seen, peers we sent our
 * certificate to) must be bounded: a flood of distinct certificates or peer addresses must cost
 * us at most `capacity` entries, never unbounded heap. A JavaScript Map iterates in insertion
 * order, so re-inserting on read is enough to keep the oldest entry first.
 */
export class BoundedLru<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Returns the value and marks it as recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Returns the value without changing its place in the eviction order. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
