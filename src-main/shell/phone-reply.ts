/**
 * Turns what a PhoneService command did into the Electron carrier's reply envelope
 * (src-main/ipc/electron-channels.ts): the value, or a PhoneError the UI can show.
 */
import type { CarrierReply } from '../ipc/electron-channels.ts';
import { PHONE_ERROR_CODES, toPhoneError } from '../ipc/phone-error.ts';

export async function replyOf<T>(run: () => Promise<T>): Promise<CarrierReply<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: toPhoneError(error) };
  }
}

/** The reply to a sender that is not ours (it learns why, but nothing ran). */
export function refusal(reason: string): CarrierReply<never> {
  return {
    ok: false,
    error: { name: 'PhoneError', code: PHONE_ERROR_CODES.refused, message: `Refused: ${reason}.` },
  };
}
