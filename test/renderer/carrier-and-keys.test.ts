import { describe, expect, it, vi } from 'vitest';
import { completeAor, isAor } from '../../src-renderer/lib/address.ts';
import { errorText } from '../../src-renderer/lib/error-text.ts';
import { openPhone, PhoneUnreachableError } from '../../src-renderer/lib/open-phone.ts';
import { shortcutFor } from '../../src-renderer/lib/shortcuts.ts';
import { fakePhone } from './fake-phone.ts';

const press = (
  key: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('which carrier the renderer uses', () => {
  it('in Electron, the preload’s bridge, without opening a socket', async () => {
    const bridge = fakePhone();
    const connectPhone = vi.fn();
    const location = { protocol: 'file:', host: '', search: '' };
    expect(await openPhone({ chordline: bridge, location, connectPhone })).toBe(bridge);
    expect(connectPhone).not.toHaveBeenCalled();
  });

  it('in a browser, the WebSocket on the same host, with the page’s token', async () => {
    const api = fakePhone();
    const connectPhone = vi.fn(async () => api);
    const location = { protocol: 'http:', host: '127.0.0.1:7421', search: '?token=a%2Bb&x=1' };
    expect(await openPhone({ location, connectPhone })).toBe(api);
    expect(connectPhone).toHaveBeenCalledWith('ws://127.0.0.1:7421/ipc?token=a%2Bb');
  });

  it('over https, a secure WebSocket', async () => {
    const connectPhone = vi.fn(async () => fakePhone());
    await openPhone({
      location: { protocol: 'https:', host: 'phone.local', search: '?token=t' },
      connectPhone,
    });
    expect(connectPhone).toHaveBeenCalledWith('wss://phone.local/ipc?token=t');
  });

  it('without a token, says which address to open instead of knocking', async () => {
    const connectPhone = vi.fn();
    await expect(
      openPhone({ location: { protocol: 'http:', host: '127.0.0.1:7421', search: '' }, connectPhone }),
    ).rejects.toThrow(PhoneUnreachableError);
    expect(connectPhone).not.toHaveBeenCalled();
  });
});

describe('addresses as people type them', () => {
  it('completes a user name or a bare user@host into an AOR', () => {
    expect(completeAor('bob', 'example.com')).toBe('sip:bob@example.com');
    expect(completeAor(' bob@example.org ', 'example.com')).toBe('sip:bob@example.org');
    expect(completeAor('sip:bob@example.com', null)).toBe('sip:bob@example.com');
    expect(completeAor('bob', null)).toBeNull();
    expect(completeAor('bob smith', 'example.com')).toBeNull();
  });

  it('accepts only sip:user@host, as certificates do', () => {
    expect(isAor('sip:alice@example.com')).toBe(true);
    expect(isAor('sip:alice@example.com:5060')).toBe(false);
    expect(isAor('"Alice" <sip:alice@example.com>')).toBe(false);
    expect(isAor('sip:@example.com')).toBe(false);
  });
});

describe('refusals in plain words', () => {
  it('takes the PhoneError’s message, and unwraps Electron’s remote-method prefix', () => {
    expect(errorText({ name: 'PhoneError', code: 'wrong-password', message: 'Wrong password.' })).toBe(
      'Wrong password.',
    );
    expect(errorText(new Error("Error invoking remote method 'dial': PhoneError: Nobody answers."))).toBe(
      'Nobody answers.',
    );
    expect(errorText(undefined)).toMatch(/did not say what/);
  });
});

describe('keyboard shortcuts', () => {
  it('Ctrl+D (or Cmd+D) opens the dial pad; Ctrl+digit a screen; Escape ends a call', () => {
    expect(shortcutFor(press('d', { ctrlKey: true }))).toEqual({ kind: 'go', view: 'dial' });
    expect(shortcutFor(press('d', { metaKey: true }))).toEqual({ kind: 'go', view: 'dial' });
    expect(shortcutFor(press('3', { ctrlKey: true }))).toEqual({ kind: 'go', view: 'history' });
    expect(shortcutFor(press(',', { ctrlKey: true }))).toEqual({ kind: 'go', view: 'settings' });
    expect(shortcutFor(press('Escape'))).toEqual({ kind: 'end-call' });
    expect(shortcutFor(press('d'))).toBeNull();
    expect(shortcutFor(press('d', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });
});
