import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { SettingsState } from '../../src-renderer/state/settings.svelte.ts';
import SettingsView from '../../src-renderer/views/SettingsView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

async function settingsScreen(api = fakePhone()) {
  const settings = new SettingsState(api);
  await settings.load();
  render(SettingsView, { props: { settings, status: fixtures.status() } });
  return { api, settings };
}

describe('settings', () => {
  it('shows the settings the core keeps, and saves the changes', async () => {
    const { api, settings } = await settingsScreen();
    expect((screen.getByLabelText('Ring refresh (seconds)') as HTMLInputElement).value).toBe('5');

    await fireEvent.click(screen.getByLabelText('Dark'));
    await fireEvent.change(screen.getByLabelText('Ringtone'), { target: { value: 'soft' } });
    await fireEvent.input(screen.getByLabelText('SIP port (UDP)'), { target: { value: '5070' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(api.saveSettings).toHaveBeenCalledWith({
      ...fixtures.SETTINGS,
      theme: 'dark',
      ringtone: 'soft',
      sipPort: 5070,
    });
    expect((await screen.findByRole('status')).textContent).toContain('Settings saved.');
    expect(settings.theme).toBe('dark');
  });

  it('refuses a port no UDP socket can have', async () => {
    const { api } = await settingsScreen();
    await fireEvent.input(screen.getByLabelText('SIP port (UDP)'), { target: { value: '70000' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.getByText(/The SIP port is a whole number from 0 to 65535/)).toBeTruthy();
    expect(api.saveSettings).not.toHaveBeenCalled();
  });

  it('tells where the phone keeps its data and how it runs', async () => {
    await settingsScreen();
    expect(screen.getByText('/home/alice/.chordline')).toBeTruthy();
    expect(screen.getByText('Browser mode (loopback only)')).toBeTruthy();
  });
});
