import type { EventName, PhoneEvents, PhoneService } from '../../../src-main/ipc/contract.ts';

/**
 * The next event of this kind that satisfies `wanted`, listened for from the moment of the
 * call: start waiting, then act, then await. Tests wait for what the UI would see, never sleep.
 */
export function nextEvent<E extends EventName>(
  phone: Pick<PhoneService, 'on'>,
  event: E,
  wanted: (payload: PhoneEvents[E]) => boolean,
  timeoutMs = 15_000,
): Promise<PhoneEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event as expected within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = phone.on(event, (payload) => {
      if (!wanted(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}
