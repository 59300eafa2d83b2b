import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { CallsState } from '../../src-renderer/state/calls.svelte.ts';
import { DevicesState } from '../../src-renderer/state/devices.svelte.ts';
import { SettingsState } from '../../src-renderer/state/settings.svelte.ts';
import SettingsView from '../../src-renderer/views/SettingsView.svelte';
import { DEVICES, LEVEL, fakeMedia, type FakeMediaEngine } from './fake-media.ts';
import { fakePhone, type FakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

async function settingsScreen(api: FakePhone = fakePhone(), engine: FakeMediaEngine = fakeMedia()) {
  const settings = new SettingsState(api);
  await settings.load();
  const devices = new DevicesState(engine);
  const calls = new CallsState(api);
  render(SettingsView, { props: { settings, devices, calls, status: fixtures.status() } });
  await screen.findByRole('option', { name: 'Laptop microphone' });
  return { api, engine, devices };
}

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

describe('choosing the microphone and the speaker', () => {
  it('lists the devices by name and saves the ones chosen', async () => {
    const { api } = await settingsScreen();
    const microphone = screen.getByLabelText('Microphone') as HTMLSelectElement;
    // The browser's "default" alias is the first choice already: System default.
    expect([...microphone.options].map((o) => o.text)).toEqual([
      'System default',
      'Headset microphone',
      'Laptop microphone',
    ]);
    await fireEvent.change(microphone, { target: { value: 'mic-laptop' } });
    await fireEvent.change(screen.getByLabelText('Speaker'), { target: { value: 'spk-headset' } });
    await save();

    expect(api.saveSettings).toHaveBeenCalledWith(
      expect.objectContaining({ microphoneId: 'mic-laptop', speakerId: 'spk-headset', iceServers: [] }),
    );
  });

  it('asks for the microphone when the browser hides the devices’ names', async () => {
    const engine = fakeMedia(DEVICES.map((d) => ({ ...d, deviceId: '', label: '' })).slice(0, 1));
    const settings = new SettingsState(fakePhone());
    await settings.load();
    render(SettingsView, {
      props: { settings, devices: new DevicesState(engine), status: fixtures.status() },
    });

    const allow = await screen.findByRole('button', { name: 'Allow microphone' });
    engine.devices = DEVICES;
    await fireEvent.click(allow);
    expect(await screen.findByRole('option', { name: 'Headset microphone' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Allow microphone' })).toBeNull();
    expect(engine.microphones[0]?.stopped).toBe(true);
  });

  it('Test microphone shows the chosen microphone’s level live, until pressed again', async () => {
    const { engine } = await settingsScreen();
    await fireEvent.change(screen.getByLabelText('Microphone'), { target: { value: 'mic-laptop' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Test microphone' }));

    const meter = await screen.findByRole('meter', { name: 'Microphone test level' });
    await waitFor(() => expect(meter.getAttribute('aria-valuenow')).toBe(String(LEVEL)));
    expect(engine.microphones[0]?.deviceId).toBe('mic-laptop');

    await fireEvent.click(screen.getByRole('button', { name: 'Test microphone' }));
    expect(screen.queryByRole('meter')).toBeNull();
    expect(engine.microphones[0]?.stopped).toBe(true);
  });

  it('Test microphone says how to allow it when the browser refuses', async () => {
    const engine = fakeMedia();
    engine.refuse.set('', 'denied');
    await settingsScreen(fakePhone(), engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Test microphone' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Chordline may not use your microphone.',
    );
  });

  it('Test speaker plays a tone on the speaker chosen', async () => {
    const { engine } = await settingsScreen();
    await fireEvent.change(screen.getByLabelText('Speaker'), { target: { value: 'spk-laptop' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Test speaker' }));
    expect(engine.testSpeaker).toHaveBeenCalledWith('spk-laptop');
  });
});

describe('STUN and TURN servers', () => {
  it('adds a STUN and a TURN server, removes a row, and saves the rest', async () => {
    const { api } = await settingsScreen();
    const add = screen.getByRole('button', { name: 'Add a STUN or TURN server' });
    await fireEvent.click(add);
    await fireEvent.input(screen.getByLabelText('Server 1 address'), {
      target: { value: 'stun:stun.example.org:3478' },
    });
    await fireEvent.click(add);
    await fireEvent.input(screen.getByLabelText('Server 2 address'), {
      target: { value: 'turn:turn.example.org:3478' },
    });
    await fireEvent.input(screen.getByLabelText('Server 2 user name'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByLabelText('Server 2 password'), { target: { value: 's3cret' } });
    await fireEvent.click(add);
    await fireEvent.click(screen.getByRole('button', { name: 'Remove server 3' }));
    await save();

    expect(api.saveSettings).toHaveBeenCalledWith(
      expect.objectContaining({
        iceServers: [
          { urls: 'stun:stun.example.org:3478' },
          { urls: 'turn:turn.example.org:3478', username: 'alice', credential: 's3cret' },
        ],
      }),
    );
  });

  it('shows the core’s refusal next to the servers', async () => {
    const api = fakePhone({
      saveSettings: async () => {
        throw {
          name: 'PhoneError',
          code: 'invalid-input',
          message: 'The TURN server turn:t.example needs a user name and a password',
        };
      },
    });
    await settingsScreen(api);
    await fireEvent.click(screen.getByRole('button', { name: 'Add a STUN or TURN server' }));
    const address = screen.getByLabelText('Server 1 address');
    await fireEvent.input(address, { target: { value: 'turn:t.example' } });
    await save();

    const error = await screen.findByText('The TURN server turn:t.example needs a user name and a password');
    expect(error.id).toBe('ice-servers-error');
    expect(address.getAttribute('aria-describedby')).toBe('ice-servers-error');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });
});

describe('the echo test', () => {
  it('calls the network’s echo peer', async () => {
    const { api } = await settingsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Call the echo test' }));
    expect(api.dial).toHaveBeenCalledWith('sip:echo@example.com');
  });
});
