import { playTones } from '../lib/tone-player.ts';
import { SPEAKER_TEST } from '../lib/tones.ts';
import { analyserMeter } from './level-meter.ts';
import type { AudioDevice, MediaEngine, Microphone } from './media-engine.ts';
import { MicrophoneError } from './microphone-error.ts';
import { WebRtcSession } from './webrtc-session.ts';

/**
 * The media engine of a real browser (Chromium, Electron): WebRTC for calls, getUserMedia for the
 * microphone, Web Audio for meters and tones. Null where the page has no WebRTC (jsdom, a
 * locked-down browser): calls then connect without audio.
 */
export function webRtcEngine(): MediaEngine | null {
  if (typeof RTCPeerConnection === 'undefined' || !navigator.mediaDevices?.getUserMedia) return null;
  const devices = navigator.mediaDevices;
  return {
    createSession: (options) => new WebRtcSession(options),
    openMicrophone: (deviceId) => openMicrophone(devices, deviceId),
    async listDevices() {
      const all = await devices.enumerateDevices();
      return all
        .filter((d): d is MediaDeviceInfo & { kind: AudioDevice['kind'] } => d.kind !== 'videoinput')
        .map((d) => ({ kind: d.kind, deviceId: d.deviceId, label: d.label }));
    },
    onDeviceChange(listener) {
      devices.addEventListener('devicechange', listener);
      return () => devices.removeEventListener('devicechange', listener);
    },
    levelMeter: (microphone) => analyserMeter(microphone.stream),
    canChooseSpeaker: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
    testSpeaker: (deviceId) =>
      new Promise((resolve) => void playTones(SPEAKER_TEST, { sinkId: deviceId, onended: resolve })),
  };
}

/** Voice processing on: a softphone without echo cancellation makes every call an echo test. */
const VOICE: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

async function openMicrophone(devices: MediaDevices, deviceId: string): Promise<Microphone> {
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia({
      audio: deviceId ? { ...VOICE, deviceId: { exact: deviceId } } : VOICE,
      video: false,
    });
  } catch (error) {
    throw MicrophoneError.from(error);
  }
  const track = stream.getAudioTracks()[0];
  if (!track) throw new MicrophoneError('missing', 'The browser opened no audio track');
  return {
    deviceId: track.getSettings().deviceId ?? deviceId,
    stream,
    setEnabled: (enabled) => void (track.enabled = enabled),
    onEnded(listener) {
      track.addEventListener('ended', listener);
      return () => track.removeEventListener('ended', listener);
    },
    stop: () => track.stop(),
  };
}
