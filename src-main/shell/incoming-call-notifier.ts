/**
 * An OS notification while a call rings; a click brings the window forward to answer it. The
 * notification goes away when the call stops ringing (answered, declined, or given up).
 */
import { Notification, type NativeImage } from 'electron';
import type { CallView } from '../ipc/contract.ts';
import { incomingCallNotice } from './call-book.ts';

export class IncomingCallNotifier {
  private readonly shown = new Map<string, Notification>();

  constructor(
    private readonly onClick: () => void,
    private readonly icon?: NativeImage,
  ) {}

  update(call: CallView): void {
    const notice = incomingCallNotice(call);
    const current = this.shown.get(call.id);
    if (notice === null) {
      if (current) {
        this.shown.delete(call.id);
        current.close();
      }
      return;
    }
    if (current || !Notification.isSupported()) return;
    const notification = new Notification({
      title: notice.title,
      body: notice.body,
      icon: this.icon,
      // The window plays the ringtone; a second sound from the OS would clash with it.
      silent: true,
      urgency: 'critical',
      timeoutType: 'never',
    });
    notification.on('click', this.onClick);
    // Kept in the map, which also keeps it from being garbage-collected (and its click lost).
    this.shown.set(call.id, notification);
    notification.show();
  }

  closeAll(): void {
    for (const notification of this.shown.values()) notification.close();
    this.shown.clear();
  }
}
