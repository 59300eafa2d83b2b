import type { PresenceCarrier } from './presence-carrier.ts';
import { UnexpectedPresenceReplyError } from './presence-errors.ts';
import { presenceKey } from './presence-key.ts';
import type { ResolvedPresenceSettings } from './presence-settings.ts';
import { RendezvousCache } from './rendezvous-cache.ts';

/**
 * The publishing side: this device's word on its user, sent to the AOR's rendezvous node when it
 * changes and again every refresh period, alive for `lifetimePeriods` periods, so that a device
 * that vanishes without a word is offline within that lifetime. `withdraw` is the graceful way
 * out (Expires 0: offline at once). The rendezvous node found once is asked straight away at
 * each refresh (rendezvous-cache.ts), and looked up again when it stops answering or redirects.
 */
export class PresencePublisher {
  private status: 'online' | 'offline' = 'online';
  private note: string | undefined;
  private withdrawn = false;
  private readonly rendezvous: RendezvousCache;

  constructor(
    carrier: PresenceCarrier,
    private readonly settings: ResolvedPresenceSettings,
    readonly aor: string,
  ) {
    this.rendezvous = new RendezvousCache(carrier, settings);
  }

  get current(): { status: 'online' | 'offline'; note?: string; withdrawn: boolean } {
    return {
      status: this.status,
      ...(this.note === undefined ? {} : { note: this.note }),
      withdrawn: this.withdrawn,
    };
  }

  /** Changes what this device says and publishes it now. */
  async set(status: 'online' | 'offline', note?: string): Promise<void> {
    this.status = status;
    this.note = note;
    this.withdrawn = false;
    await this.publish();
  }

  /** Every refresh period (and after set()): publishes, unless withdrawn. */
  async publish(): Promise<void> {
    if (this.withdrawn) return;
    const expires = Math.floor((this.settings.refreshMs * this.settings.lifetimePeriods) / 1000);
    await this.send(expires);
  }

  /** Tells the rendezvous node this device is gone (before a graceful leave). */
  async withdraw(): Promise<void> {
    this.withdrawn = true;
    await this.send(0);
  }

  private async send(expires: number): Promise<void> {
    const { answer } = await this.rendezvous.request(presenceKey(this.aor), {
      kind: 'PublishPresence',
      aor: this.aor,
      status: expires === 0 ? 'offline' : this.status,
      ...(this.note === undefined || expires === 0 ? {} : { note: this.note }),
      expires,
    });
    if (answer.kind !== 'Ack') throw new UnexpectedPresenceReplyError('Ack', answer.kind);
  }
}
