import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CallView } from '../../src-main/ipc/contract.ts';
import type { Microphone } from '../../src-renderer/media/media-engine.ts';
import App from '../../src-renderer/App.svelte';
import { fakePhone, type FakePhone } from './fake-phone.ts';
import {
  DEVICES,
  LEVEL,
  PLACEHOLDER_OFFER,
  WEBRTC_ANSWER,
  WEBRTC_OFFER,
  fakeMedia,
  type FakeMediaEngine,
  type FakeMicrophone,
  type FakeSession,
} from './fake-media.ts';
import * as fixtures from './fixtures.ts';

/** Alice's phone, ready, with voice. */
async function alicesPhone(engine: FakeMediaEngine = fakeMedia(), api: FakePhone = fakePhone()) {
  render(App, { props: { api, engine } });
  await screen.findByRole('navigation', { name: 'Main' });
  return { api, engine };
}

const bobCalls = (overrides: Partial<CallView> = {}) =>
  fixtures.call({ id: 'call-1', remoteSdp: WEBRTC_OFFER, ...overrides });

/** Bob calls Alice from his browser and she answers: the call is connected, with audio. */
async function inACallWithBob(engine: FakeMediaEngine = fakeMedia(), api: FakePhone = fakePhone()) {
  await alicesPhone(engine, api);
  act(() => api.emit('callChanged', bobCalls()));
  await fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));
  await waitFor(() => expect(api.answer).toHaveBeenCalled());
  act(() => api.emit('callChanged', bobCalls({ state: 'active', answeredAt: Date.now() })));
  await screen.findByRole('button', { name: 'Mute' });
  return { api, engine, session: engine.session };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const pressed = (name: string) => screen.getByRole('button', { name }).getAttribute('aria-pressed');

describe('placing a call with voice', () => {
  it('shows the call screen at once, dials with the offer once gathered, and plays Bob once he answers', async () => {
    const engine = fakeMedia();
    const gathering = deferred<string>();
    const createSession = engine.createSession.bind(engine);
    engine.createSession = (options) => {
      const session = createSession(options) as FakeSession;
      session.createOffer.mockImplementationOnce(() => gathering.promise);
      return session;
    };
    const { api } = await alicesPhone(engine);

    await fireEvent.click(screen.getByRole('button', { name: 'Dial pad' }));
    await fireEvent.input(screen.getByLabelText('Address to call'), { target: { value: 'bob' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Call' }));

    // Candidates are still being gathered: the screen is there, the core has heard nothing.
    expect(await screen.findByRole('heading', { level: 1, name: 'bob' })).toBeTruthy();
    expect(screen.getByText('Calling…')).toBeTruthy();
    expect(api.dial).not.toHaveBeenCalled();

    gathering.resolve('v=0\r\na=alice-offer\r\n');
    await waitFor(() =>
      expect(api.dial).toHaveBeenCalledWith({ aor: 'sip:bob@example.com', sdp: 'v=0\r\na=alice-offer\r\n' }),
    );
    expect(engine.microphones[0]?.deviceId).toBe('mic-headset');

    const answered = fixtures.call({
      id: 'call-out',
      direction: 'outgoing',
      state: 'active',
      peer: 'sip:bob@example.com',
      peerName: null,
      answeredAt: Date.now(),
      remoteSdp: WEBRTC_ANSWER,
    });
    act(() => api.emit('callChanged', answered));
    await waitFor(() => expect(engine.session.acceptAnswer).toHaveBeenCalledWith(WEBRTC_ANSWER));

    const stream = act(() => engine.session.deliverRemote());
    await waitFor(() => expect(document.querySelectorAll('audio.remote-audio')).toHaveLength(1));
    expect(document.querySelector('audio')?.srcObject).toBe(await stream);

    // Hanging up closes the connection and gives the microphone back.
    act(() => api.emit('callChanged', { ...answered, state: 'ended', endedAt: Date.now() }));
    await waitFor(() => expect(document.querySelector('audio.remote-audio')).toBeNull());
    expect(engine.session.closed).toBe(true);
    expect(engine.microphones[0]?.stopped).toBe(true);
  });

  it('Cancel while the offer is made: the core never hears of the call', async () => {
    const engine = fakeMedia();
    const gathering = deferred<string>();
    const createSession = engine.createSession.bind(engine);
    engine.createSession = (options) => {
      const session = createSession(options) as FakeSession;
      session.createOffer.mockImplementationOnce(() => gathering.promise);
      return session;
    };
    const { api } = await alicesPhone(engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Dial pad' }));
    await fireEvent.input(screen.getByLabelText('Address to call'), { target: { value: 'bob' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Call' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel call' }));
    gathering.resolve('v=0\r\n');

    await waitFor(() => expect(engine.session.closed).toBe(true));
    expect(api.dial).not.toHaveBeenCalled();
  });

  it('when the microphone is refused, says how to allow it, and the call still goes out', async () => {
    const engine = fakeMedia();
    engine.refuse.set('', 'denied');
    const { api } = await alicesPhone(engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Dial pad' }));
    await fireEvent.input(screen.getByLabelText('Address to call'), { target: { value: 'bob' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Call' }));

    await waitFor(() =>
      expect(api.dial).toHaveBeenCalledWith(expect.objectContaining({ sdp: expect.any(String) })),
    );
    const alert = await screen.findByText(
      /Chordline may not use your microphone: the other side cannot hear you/,
    );
    expect(alert.textContent).toContain('Allow the microphone for this page');
    expect(engine.session.microphone).toBeNull();
  });

  it('uses the microphone and STUN/TURN servers chosen in Settings', async () => {
    const engine = fakeMedia();
    const iceServers = [{ urls: 'stun:stun.example.org:3478' }];
    const api = fakePhone({
      getSettings: async () => ({ ...fixtures.SETTINGS, microphoneId: 'mic-laptop', iceServers }),
    });
    await inACallWithBob(engine, api);
    expect(engine.microphones[0]?.deviceId).toBe('mic-laptop');
    expect(engine.session.options.iceServers).toEqual(iceServers);
  });
});

describe('answering a call with voice', () => {
  it("answers Bob's offer with an answer made from it", async () => {
    const { api, session } = await inACallWithBob();
    expect(session.createAnswer).toHaveBeenCalledWith(WEBRTC_OFFER);
    expect(api.answer).toHaveBeenCalledWith({ callId: 'call-1', sdp: 'v=0\r\na=answer-sendrecv\r\n' });
    expect(session.microphone).not.toBeNull();
  });

  it('a caller without WebRTC (the command line) is answered without media, and the screen says so', async () => {
    const { api, engine } = await alicesPhone();
    act(() => api.emit('callChanged', bobCalls({ remoteSdp: PLACEHOLDER_OFFER })));
    await fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(api.answer).toHaveBeenCalledWith('call-1'));
    act(() =>
      api.emit('callChanged', bobCalls({ remoteSdp: PLACEHOLDER_OFFER, state: 'active', answeredAt: 1 })),
    );

    expect(await screen.findByText("This call has no audio: the caller's device sends none")).toBeTruthy();
    expect(engine.sessions).toHaveLength(0);
    expect(engine.microphones).toHaveLength(0);
    expect((screen.getByRole('button', { name: 'Mute' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('in a call', () => {
  it('Mute silences the microphone and says so; pressing it again brings the voice back', async () => {
    const { engine } = await inACallWithBob();
    expect(pressed('Mute')).toBe('false');
    await fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(pressed('Mute')).toBe('true');
    expect(engine.microphones[0]?.enabled).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(pressed('Mute')).toBe('false');
    expect(engine.microphones[0]?.enabled).toBe(true);
  });

  it('Hold sends a sendonly offer (re-INVITE) and Resume a sendrecv one, each answer applied', async () => {
    const api = fakePhone({ updateMedia: async () => ({ sdp: 'v=0\r\na=bob-answers\r\n' }) });
    const { session } = await inACallWithBob(fakeMedia(), api);

    await fireEvent.click(screen.getByRole('button', { name: 'Hold' }));
    await waitFor(() => expect(pressed('Hold')).toBe('true'));
    expect(api.updateMedia).toHaveBeenCalledWith({ callId: 'call-1', sdp: 'v=0\r\na=offer-sendonly\r\n' });
    expect(session.acceptAnswer).toHaveBeenLastCalledWith('v=0\r\na=bob-answers\r\n');
    // Held, Alice's room is not heard either: sendonly alone would send her microphone.
    expect(session.microphone && (session.microphone as { enabled?: boolean }).enabled).toBe(false);
    act(() => api.emit('callChanged', bobCalls({ state: 'active', answeredAt: Date.now(), hold: 'local' })));
    expect(screen.getByText(/On hold/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Hold' }));
    await waitFor(() => expect(pressed('Hold')).toBe('false'));
    expect(api.updateMedia).toHaveBeenLastCalledWith({
      callId: 'call-1',
      sdp: 'v=0\r\na=offer-sendrecv\r\n',
    });
  });

  it('when Bob cannot take the hold, says why and takes the offer back', async () => {
    const api = fakePhone({
      updateMedia: async () => {
        throw {
          name: 'PhoneError',
          code: 'refused',
          message: 'Bob changed the call at the same moment (491): try again',
        };
      },
    });
    const { session } = await inACallWithBob(fakeMedia(), api);
    await fireEvent.click(screen.getByRole('button', { name: 'Hold' }));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not hold the call: Bob changed the call at the same moment (491): try again',
    );
    expect(session.rollback).toHaveBeenCalled();
    expect(session.direction).toBe('sendrecv');
    expect(pressed('Hold')).toBe('false');
  });

  it("answers Bob's re-INVITE (he puts the call on hold) and says he did", async () => {
    const { api, session } = await inACallWithBob();
    act(() => api.emit('mediaOffer', { callId: 'call-1', offerId: 'offer-7', sdp: WEBRTC_OFFER }));
    await waitFor(() =>
      expect(api.answerMedia).toHaveBeenCalledWith({
        offerId: 'offer-7',
        sdp: 'v=0\r\na=answer-sendrecv\r\n',
      }),
    );
    expect(session.createAnswer).toHaveBeenLastCalledWith(WEBRTC_OFFER);

    act(() => api.emit('callChanged', bobCalls({ state: 'active', answeredAt: Date.now(), hold: 'remote' })));
    expect(await screen.findByText(/The other side put you on hold/)).toBeTruthy();
  });

  it('refuses a new offer it cannot take (not WebRTC), so Bob gets 488', async () => {
    const { api } = await inACallWithBob();
    act(() => api.emit('mediaOffer', { callId: 'call-1', offerId: 'offer-8', sdp: PLACEHOLDER_OFFER }));
    await waitFor(() => expect(api.answerMedia).toHaveBeenCalledWith({ offerId: 'offer-8' }));
  });

  it('the keypad sends tones, and so do the keyboard’s digits while the call screen shows', async () => {
    const { session } = await inACallWithBob();
    expect(screen.queryByRole('button', { name: 'Tone 1' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Keypad' }));
    expect(pressed('Keypad')).toBe('true');
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#']) {
      expect(screen.getByRole('button', { name: `Tone ${key}` })).toBeTruthy();
    }
    await fireEvent.click(screen.getByRole('button', { name: 'Tone 1' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Tone #' }));
    await fireEvent.keyDown(window, { key: '5' });
    await fireEvent.keyDown(window, { key: '7', altKey: true });
    expect(session.tones).toEqual(['1', '#', '5']);
    expect(screen.getByRole('group', { name: 'Keypad' }).textContent).toContain('1#5');
  });

  it('shows the microphone’s level and the call’s quality, in numbers and a word', async () => {
    const engine = fakeMedia();
    const createSession = engine.createSession.bind(engine);
    engine.createSession = (options) => {
      const session = createSession(options) as FakeSession;
      session.report = [
        { type: 'inbound-rtp', id: 'in', kind: 'audio', packetsReceived: 995, packetsLost: 5, jitter: 0.012 },
        { type: 'remote-inbound-rtp', id: 'rin', kind: 'audio', roundTripTime: 0.04 },
      ];
      return session;
    };
    await inACallWithBob(engine);

    const meter = screen.getByRole('meter', { name: 'Microphone level' });
    await waitFor(() => expect(meter.getAttribute('aria-valuenow')).toBe(String(LEVEL)));
    const quality = screen.getByRole('status', { name: 'Call quality' });
    await waitFor(() => expect(quality.textContent).toContain('Round trip 40 ms'));
    expect(quality.textContent).toContain('Good');
    expect(quality.textContent).toContain('Loss 0.5 %');
    expect(quality.textContent).toContain('Jitter 12 ms');
  });
});

describe('devices unplugged during a call', () => {
  it('switches to the default microphone when the one in use is unplugged', async () => {
    const { engine, session } = await inACallWithBob();
    const headset = engine.microphones[0]!;
    act(() => headset.unplug());

    expect(
      await screen.findByText('Your microphone was disconnected: now using the default microphone'),
    ).toBeTruthy();
    expect(session.microphone).toBe(engine.microphones[1]);
    expect(headset.stopped).toBe(true);
  });

  it('says the other side cannot hear when no microphone is left', async () => {
    const { engine, session } = await inACallWithBob();
    engine.refuse.set('', 'missing');
    act(() => engine.microphones[0]!.unplug());

    expect(
      await screen.findByText(
        'No microphone is connected: the other side cannot hear you. Plug one in or choose one in Settings',
      ),
    ).toBeTruthy();
    expect(session.microphone).toBeNull();
  });

  it('when the headset goes (microphone and speaker at once), says both moved to the defaults', async () => {
    const api = fakePhone({
      getSettings: async () => ({
        ...fixtures.SETTINGS,
        microphoneId: 'mic-laptop',
        speakerId: 'spk-headset',
      }),
    });
    const { engine } = await inACallWithBob(fakeMedia(), api);
    act(() =>
      engine.changeDevices(
        DEVICES.filter((d) => d.deviceId !== 'mic-laptop' && d.deviceId !== 'spk-headset'),
      ),
    );
    expect(
      await screen.findByText('Your microphone was disconnected: now using the default microphone'),
    ).toBeTruthy();
    expect(
      screen.getByText('Your speaker was disconnected: now playing on the default speaker'),
    ).toBeTruthy();
    expect(engine.session.microphone?.deviceId).toBe('mic-headset');
  });
});

describe('choosing other devices in Settings during a call', () => {
  const goTo = (name: RegExp) =>
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name }));

  /** Alice opens Settings while she talks to Bob, picks `choices` and saves. */
  async function chooseInSettings(choices: { Microphone?: string; Speaker?: string }) {
    await goTo(/^Settings/);
    await screen.findByRole('option', { name: 'Laptop microphone' });
    for (const [label, value] of Object.entries(choices)) {
      await fireEvent.change(screen.getByLabelText(label), { target: { value } });
    }
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
  }

  it('the microphone picked takes over at once, still muted, with the meter on it; the old one is released', async () => {
    const engine = fakeMedia();
    const meters: Microphone[] = [];
    const closed: Microphone[] = [];
    engine.levelMeter = (microphone) => {
      meters.push(microphone);
      return { read: () => LEVEL, close: () => void closed.push(microphone) };
    };
    const { api, session } = await inACallWithBob(engine);
    const headset = engine.microphones[0]!;
    await fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(headset.enabled).toBe(false);

    await chooseInSettings({ Microphone: 'mic-laptop' });

    await waitFor(() => expect(session.microphone?.deviceId).toBe('mic-laptop'));
    const laptop = engine.microphones[1] as FakeMicrophone;
    expect(laptop.enabled).toBe(false);
    expect(headset.stopped).toBe(true);
    expect(laptop.stopped).toBe(false);
    expect(meters.at(-1)).toBe(laptop);
    expect(closed).toContain(headset);
    // The same call, the same connection: no re-INVITE.
    expect(api.updateMedia).not.toHaveBeenCalled();
    expect(engine.sessions).toHaveLength(1);

    // Back on the call screen, unmuting speaks through the new microphone.
    await goTo(/^Call( |$)/);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mute' }));
    expect(laptop.enabled).toBe(true);
  });

  it('when the microphone picked will not open, the call keeps the one it has and says why', async () => {
    const engine = fakeMedia();
    engine.refuse.set('mic-laptop', 'busy');
    const { session } = await inACallWithBob(engine);
    const headset = engine.microphones[0]!;

    await chooseInSettings({ Microphone: 'mic-laptop' });

    await waitFor(() => expect(engine.microphones).toHaveLength(1));
    await goTo(/^Call( |$)/);
    expect(
      await screen.findByText(
        'The microphone chosen in Settings could not be opened (another program may be using it): the call goes on with the one it had',
      ),
    ).toBeTruthy();
    expect(session.microphone).toBe(headset);
    expect(headset.stopped).toBe(false);
  });

  it('the speaker picked plays the call at once (setSinkId on its audio element)', async () => {
    const sinks: string[] = [];
    const proto = HTMLMediaElement.prototype as HTMLMediaElement & { sinkId: string };
    Object.defineProperty(proto, 'sinkId', { configurable: true, get: () => sinks.at(-1) ?? '' });
    Object.defineProperty(proto, 'setSinkId', {
      configurable: true,
      value: async (id: string) => void sinks.push(id),
    });
    try {
      const { engine } = await inACallWithBob();
      act(() => engine.session.deliverRemote());
      await waitFor(() => expect(document.querySelectorAll('audio.remote-audio')).toHaveLength(1));

      await chooseInSettings({ Speaker: 'spk-laptop' });

      await waitFor(() => expect(sinks.at(-1)).toBe('spk-laptop'));
      // The microphone was not touched: the same one, still open.
      expect(engine.microphones).toHaveLength(1);
      expect(engine.microphones[0]?.stopped).toBe(false);
    } finally {
      delete (proto as Partial<typeof proto>).setSinkId;
      delete (proto as Partial<typeof proto>).sinkId;
    }
  });
});
