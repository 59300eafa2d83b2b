import { currentTimers } from '../../sip/index.ts';
import type { SipRequest } from '../../sip/index.ts';

/**
 * Keeps an accepted INVITE's 2xx alive until its ACK arrives (RFC 3261 section 13.3.1.4): the
 * 2xx goes again at T1, 2*T1, … capped at T2; after 64*T1 without an ACK, `onGiveUp` (the
 * caller ends the call with BYE). Stops by itself once `stillWanted` says no; returns `stop`,
 * for the ACK.
 */
export function resendUntilAcked(
  request: SipRequest,
  stillWanted: () => boolean,
  onGiveUp: () => void,
): () => void {
  const { t1, t2 } = currentTimers();
  const giveUpAt = Date.now() + 64 * t1;
  let interval = t1;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped || !stillWanted()) return;
    if (Date.now() >= giveUpAt) {
      stopped = true;
      onGiveUp();
      return;
    }
    request.retransmitAccepted();
    interval = Math.min(interval * 2, t2);
    timer = setTimeout(tick, interval);
    timer.unref();
  };
  timer = setTimeout(tick, interval);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
