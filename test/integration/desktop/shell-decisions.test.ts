import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppStatus, CallView } from '../../../src-main/ipc/contract.ts';
import { PhoneCommandError } from '../../../src-main/ipc/phone-error.ts';
import {
  APP_ENTRY_URL,
  APP_HOST,
  isAppUrl,
  mimeType,
  PROMPT_HOST,
  resolveAppFile,
} from '../../../src-main/shell/app-url.ts';
import { CallBook, incomingCallNotice } from '../../../src-main/shell/call-book.ts';
import { contentSecurityPolicy } from '../../../src-main/shell/content-security-policy.ts';
import { chooseDataDir, DataDirError } from '../../../src-main/shell/data-dir.ts';
import { permissionAllowed } from '../../../src-main/shell/permission-policy.ts';
import { refusal, replyOf } from '../../../src-main/shell/phone-reply.ts';
import { trayStatus } from '../../../src-main/shell/tray-status.ts';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
} from '../../../src-main/shell/window-state.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';

/** The decisions the Electron shell makes, each made by a plain function and checked here. */
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('the data folder', () => {
  const base = { env: {}, cwd: '/home/alice', userData: '/home/alice/.config/Chordline' };

  it('defaults to a folder inside userData, leaving userData where it is', () => {
    expect(chooseDataDir({ ...base, argv: ['/opt/Chordline/chordline'] })).toEqual({
      dataDir: '/home/alice/.config/Chordline/phone',
      userData: null,
      source: 'default',
    });
  });

  it('takes --data (relative to where it was started) over CHORDLINE_DATA, and moves userData beside it', () => {
    const env = { CHORDLINE_DATA: '/srv/bob' };
    expect(chooseDataDir({ ...base, env, argv: ['electron', '.', '--data', 'phones/alice'] })).toEqual({
      dataDir: '/home/alice/phones/alice',
      userData: '/home/alice/phones/alice/desktop',
      source: 'flag',
    });
    expect(chooseDataDir({ ...base, env, argv: ['electron', '.', '--data=/tmp/a'] }).dataDir).toBe('/tmp/a');
    expect(chooseDataDir({ ...base, env, argv: ['chordline'] })).toMatchObject({
      dataDir: '/srv/bob',
      source: 'env',
    });
  });

  it('says what is missing when --data has no folder', () => {
    expect(() => chooseDataDir({ ...base, argv: ['chordline', '--data'] })).toThrow(DataDirError);
    expect(() => chooseDataDir({ ...base, argv: ['chordline', '--data', '--inspect'] })).toThrow(
      /--data needs a folder/,
    );
  });
});

describe('the remembered window', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };

  it('comes back where it was, after an atomic write that leaves no temporary file', async () => {
    const dir = dirs.make('chordline-window-');
    const file = join(dir, 'window-state.json');
    await saveWindowState(file, { x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(await loadWindowState(file)).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(await readdir(dir)).toEqual(['window-state.json']);
  });

  it('opens with the defaults when the file is missing, torn or edited into nonsense', async () => {
    const dir = dirs.make('chordline-window-');
    expect(await loadWindowState(join(dir, 'none.json'))).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(join(dir, 'torn.json'), '{"x": 10, "y": 2');
    expect(await loadWindowState(join(dir, 'torn.json'))).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{"width": -5, "height": "tall", "x": 1.5, "y": 0}')).toEqual(
      DEFAULT_WINDOW_STATE,
    );
    expect(parseWindowState('[1,2]')).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('is moved back on screen when its monitor is gone, and shrunk to the largest display', () => {
    const onUnpluggedMonitor = { x: 2500, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(onUnpluggedMonitor, [screen])).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
    const huge = { x: 0, y: 0, width: 4000, height: 3000, maximized: false };
    expect(fitToDisplays(huge, [screen])).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1040,
      maximized: false,
    });
    const secondMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };
    expect(fitToDisplays(onUnpluggedMonitor, [screen, secondMonitor])).toMatchObject({ x: 2500, y: 100 });
  });
});

describe("the app's origin", () => {
  const root = resolve('/opt/chordline/out/renderer');
  const roots = { [APP_HOST]: root, [PROMPT_HOST]: '/opt/chordline/resources/prompt' };

  it('serves files from inside the renderer folder only', () => {
    expect(resolveAppFile(APP_ENTRY_URL, roots)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('chordline://app/', roots)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('chordline://app/assets/index-1.js?v=2#x', roots)).toBe(
      join(root, 'assets/index-1.js'),
    );
    expect(resolveAppFile('chordline://prompt/passphrase.js', roots)).toBe(
      '/opt/chordline/resources/prompt/passphrase.js',
    );
    // The URL parser itself folds plain dot segments, within the root.
    expect(resolveAppFile('chordline://app/../../../etc/passwd', roots)).toBe(join(root, 'etc/passwd'));
    expect(resolveAppFile('chordline://app/%2e%2e/%2e%2e/etc/passwd', roots)).toBe(join(root, 'etc/passwd'));
    for (const escape of [
      'chordline://app/..%2f..%2fetc/passwd',
      'chordline://app/..%5c..%5cwindows',
      'chordline://app/a%00.js',
      'chordline://app/%E0%A4%A',
      'chordline://other/index.html',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppFile(escape, roots), escape).toBeNull();
    }
  });

  it('knows its own pages', () => {
    expect(isAppUrl('chordline://app/index.html', { host: APP_HOST })).toBe(true);
    expect(isAppUrl('chordline://prompt/passphrase.html', { host: APP_HOST })).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { host: APP_HOST })).toBe(false);
    expect(isAppUrl('not a url', { host: APP_HOST })).toBe(false);
    expect(mimeType('a/b/index-1.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('x.unknown')).toBe('application/octet-stream');
  });
});

describe('the Content-Security-Policy', () => {
  it('lets only our own scripts run and reach nothing else', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('in development, also allows the dev server and its hot-reload socket', () => {
    const csp = contentSecurityPolicy({ devServer: 'http://localhost:5173' });
    expect(csp).toContain("script-src 'self' http://localhost:5173;");
    expect(csp).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173;");
  });
});

describe('permissions', () => {
  const origin = { host: APP_HOST };
  const ask = (permission: string, extra: object = {}) =>
    permissionAllowed(
      { permission, requestingUrl: 'chordline://app/index.html', isMainFrame: true, ...extra },
      origin,
    );

  it('grants a phone what it needs: the microphone and notifications', () => {
    expect(ask('media', { mediaTypes: ['audio'] })).toBe(true);
    expect(ask('notifications')).toBe(true);
    expect(ask('clipboard-sanitized-write')).toBe(true);
  });

  it('refuses the camera, the screen, location, devices, and any page not ours', () => {
    expect(ask('media', { mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(ask('media', { mediaTypes: [] })).toBe(false);
    expect(ask('media')).toBe(false);
    for (const permission of [
      'display-capture',
      'geolocation',
      'hid',
      'usb',
      'midi',
      'openExternal',
      'fullscreen',
    ]) {
      expect(ask(permission), permission).toBe(false);
    }
    expect(ask('notifications', { isMainFrame: false })).toBe(false);
    expect(ask('notifications', { requestingUrl: 'https://evil.example/' })).toBe(false);
  });
});

describe('the tray, the notification and the Call menu', () => {
  const status = (phase: AppStatus['phase'], problem: string | null = null): AppStatus => ({
    phase,
    problem,
    mode: 'electron',
    dataDir: '/d',
    identity:
      phase === 'ready'
        ? {
            aor: 'sip:alice@example.com',
            nodeId: 'ab',
            serial: '1',
            issuer: 'CA',
            notBefore: '',
            notAfter: '',
            fingerprint: 'ff',
          }
        : null,
    network: null,
  });
  const call = (id: string, changes: Partial<CallView>): CallView => ({
    id,
    direction: 'incoming',
    state: 'ringing',
    peer: 'sip:bob@example.com',
    peerName: null,
    hops: 1,
    startedAt: 1000,
    answeredAt: null,
    endedAt: null,
    end: null,
    remoteSdp: null,
    hold: 'none',
    ...changes,
  });

  it('shows ready, offline with the reason, or in a call', () => {
    expect(trayStatus(status('ready'), [])).toEqual({
      kind: 'ready',
      tooltip: 'Chordline: ready (sip:alice@example.com)',
    });
    expect(trayStatus(status('failed', 'The login server does not answer.'), [])).toEqual({
      kind: 'offline',
      tooltip: 'Chordline: offline: The login server does not answer.',
    });
    expect(trayStatus(status('welcome'), []).kind).toBe('offline');
    expect(trayStatus(null, []).kind).toBe('offline');
    expect(trayStatus(status('ready'), [call('c1', { state: 'active', peerName: 'Bob' })])).toEqual({
      kind: 'in-call',
      tooltip: 'Chordline: in a call with Bob',
    });
    expect(trayStatus(status('ready'), [call('c1', {})]).tooltip).toBe(
      'Chordline: bob@example.com is calling',
    );
    expect(trayStatus(status('failed', 'x'.repeat(300)), []).tooltip.length).toBeLessThanOrEqual(120);
  });

  it("when Bob calls, Alice's notification names him and the AOR his certificate proves", () => {
    expect(incomingCallNotice(call('c1', { peerName: 'Bob' }))).toEqual({
      title: 'Bob is calling',
      body: 'bob@example.com, verified by their certificate',
    });
    expect(incomingCallNotice(call('c1', { state: 'active' }))).toBeNull();
    expect(incomingCallNotice(call('c1', { direction: 'outgoing' }))).toBeNull();
  });

  it('Answer picks the oldest call ringing; Hang Up the call in progress; ended calls leave the book', () => {
    const book = new CallBook();
    book.reset([call('late', { startedAt: 2000 }), call('early', { startedAt: 1000 })]);
    expect(book.ringing()?.id).toBe('early');
    expect(book.current()).toBeNull();
    book.update(call('early', { state: 'active' }));
    expect(book.current()?.id).toBe('early');
    expect(book.ringing()?.id).toBe('late');
    book.update(call('early', { state: 'ended' }));
    book.update(call('late', { state: 'ended' }));
    expect(book.list()).toEqual([]);
    book.update(call('out', { direction: 'outgoing', state: 'calling' }));
    expect(book.current()?.id).toBe('out');
  });
});

describe('command replies over IPC', () => {
  it('carry the value, or the PhoneError with its code and message', async () => {
    expect(await replyOf(async () => 42)).toEqual({ ok: true, value: 42 });
    expect(
      await replyOf(async () => {
        throw new PhoneCommandError('wrong-password', 'The password is wrong.');
      }),
    ).toEqual({
      ok: false,
      error: { name: 'PhoneError', code: 'wrong-password', message: 'The password is wrong.' },
    });
    const internal = await replyOf(async () => {
      throw new TypeError('x is undefined');
    });
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(refusal('the message comes from a subframe')).toEqual({
      ok: false,
      error: { name: 'PhoneError', code: 'refused', message: 'Refused: the message comes from a subframe.' },
    });
  });
});
