/**
 * Emits a view to the UI only when it differs from the last one emitted (compared as JSON), and
 * nothing once stopped: what the network screen's news (ring-news.ts, layer-news.ts) share.
 */
export class ChangedViews<T> {
  private last = '';
  protected stopped = false;

  constructor(
    private readonly view: () => T | undefined,
    private readonly emit: (view: T) => void,
  ) {}

  check(): void {
    const view = this.stopped ? undefined : this.view();
    if (view === undefined) return;
    const text = JSON.stringify(view);
    if (text === this.last) return;
    this.last = text;
    this.emit(view);
  }

  /** Safe twice. */
  stop(): void {
    this.stopped = true;
  }
}
