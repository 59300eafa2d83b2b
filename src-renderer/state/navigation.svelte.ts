import type { ViewName } from '../lib/views.ts';

/** Which screen the main area shows. Renderer-only: the core never hears of it. */
export class NavigationState {
  view = $state<ViewName>('contacts');
  /** The screen to return to when the call screen closes. */
  previous = $state<ViewName>('contacts');
  /** Bumped by Ctrl+D, so the dial screen focuses its address field even when already open. */
  dialRequest = $state(0);
  /** Pre-filled into the dial screen's address field (a "call back" from history, say). */
  dialDraft = $state('');

  go(view: ViewName): void {
    if (view !== this.view && this.view !== 'call') this.previous = this.view;
    this.view = view;
    if (view === 'dial') this.dialRequest++;
  }

  /** Leaves the call screen for the screen the person was on before. */
  back(): void {
    this.view = this.previous;
  }

  /** Opens the dial pad with `address` typed in, for the person to check and call. */
  dialWith(address: string): void {
    this.dialDraft = address;
    this.go('dial');
  }
}
