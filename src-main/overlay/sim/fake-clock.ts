/**
 * Time for simulations: nothing happens until a test advances it, and then every task runs in
 * order of due time (ties in order of scheduling), so runs are deterministic. Between due
 * times the clock lets pending promise callbacks run (one setImmediate turn, which comes after
 * every queued microtask), so async code reacting to a task schedules its follow-ups before
 * time moves on. No real timers, no sleeping.
 */
export class FakeClock {
  #now: number;
  #seq = 0;
  #live = 0;
  readonly #heap: Task[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  /** Milliseconds since the epoch (bound: pass it around as a function). */
  readonly now = (): number => this.#now;

  /** Runs `task` after `ms`; returns a cancel function (bound, like now). */
  readonly schedule = (ms: number, task: () => void): (() => void) => {
    const entry: Task = { at: this.#now + Math.max(0, ms), seq: this.#seq++, run: task, cancelled: false };
    push(this.#heap, entry);
    this.#live++;
    return () => {
      if (entry.cancelled) return;
      entry.cancelled = true;
      this.#live--;
      // Every send schedules a timeout that is cancelled when the answer comes: without this,
      // a burst of 100,000 lookups at one instant would leave the heap mostly dead weight.
      if (this.#heap.length > 1_024 && this.#heap.length > 2 * this.#live) this.#compact();
    };
  };

  /** Tasks scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.#live;
  }

  /** Runs everything due within the next `ms`, then stands at now + ms. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await settle();
    while (this.#peek() !== undefined && this.#peek()!.at <= until) await this.#runNextInstant();
    this.#now = until;
  }

  /** Runs tasks until none is left (only ends once periodic timers have been stopped). */
  async runUntilIdle(maxTasks = 10_000_000): Promise<void> {
    await settle();
    let ran = 0;
    while (this.#peek() !== undefined) {
      ran += await this.#runNextInstant();
      if (ran > maxTasks) throw new Error(`FakeClock: still busy after ${maxTasks} tasks`);
    }
  }

  /**
   * Moves time forward only as far as needed for `promise` to settle, and returns its outcome.
   * Throws if nothing is left to run while it is still pending (it waits for something that
   * will never happen), or if it takes more than `limitMs`.
   */
  async run<T>(promise: Promise<T>, limitMs = Number.POSITIVE_INFINITY): Promise<T> {
    let done = false;
    // Observing the outcome also keeps a rejection from counting as unhandled meanwhile.
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    const deadline = this.#now + limitMs;
    await settle();
    while (!done) {
      const next = this.#peek();
      if (next === undefined) throw new Error('FakeClock.run: the promise waits, but nothing is scheduled');
      if (next.at > deadline) throw new Error(`FakeClock.run: not settled within ${limitMs} ms`);
      await this.#runNextInstant();
    }
    return promise;
  }

  #compact(): void {
    const kept = this.#heap.filter((task) => !task.cancelled);
    this.#heap.length = 0;
    for (const task of kept) push(this.#heap, task);
  }

  /** Runs every task due at the earliest due time, then lets promise callbacks run. */
  async #runNextInstant(): Promise<number> {
    const first = this.#peek();
    if (first === undefined) return 0;
    this.#now = Math.max(this.#now, first.at);
    let ran = 0;
    while (this.#peek() !== undefined && this.#peek()!.at <= this.#now) {
      const task = pop(this.#heap)!;
      if (task.cancelled) continue;
      task.cancelled = true;
      this.#live--;
      ran++;
      task.run();
    }
    await settle();
    return ran;
  }

  /** The earliest task that is not cancelled (cancelled ones are dropped on the way). */
  #peek(): Task | undefined {
    while (this.#heap.length > 0 && this.#heap[0].cancelled) pop(this.#heap);
    return this.#heap[0];
  }
}

interface Task {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** Lets every queued promise callback run: setImmediate fires after the microtask queue drains. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function push(heap: Task[], task: Task): void {
  heap.push(task);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function pop(heap: Task[]): Task | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last !== undefined) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left], heap[least])) least = left;
      if (right < heap.length && before(heap[right], heap[least])) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  }
  return top;
}
