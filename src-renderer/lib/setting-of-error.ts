import type { Settings } from '../../src-main/ipc/contract.ts';

/**
 * Which setting a refusal of saveSettings is about, so that Settings can show it next to that
 * field. The core's checks (src-main/ipc/validate.ts) name the field in words, not in a code:
 * "The TURN server … needs a user name", "The microphone is not a device the browser named".
 */
export function settingOfError(message: string | null): keyof Settings | null {
  if (!message) return null;
  if (/\b(?:STUN|TURN)\b/.test(message)) return 'iceServers';
  if (/\bmicrophone\b/i.test(message)) return 'microphoneId';
  if (/\bspeaker\b/i.test(message)) return 'speakerId';
  return null;
}
