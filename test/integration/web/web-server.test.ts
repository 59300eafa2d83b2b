import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneApi } from '../../../src-main/ipc/contract.ts';
import { COMMAND_NAMES } from '../../../src-main/ipc/contract.ts';
import { connectPhone } from '../../../src-main/ipc/ws-client.ts';
import type { PhoneConnection } from '../../../src-main/ipc/ws-client.ts';
import { PhoneCore } from '../../../src-main/phone/phone-core.ts';
import { startWebServer } from '../../../src-main/web/web-server.ts';
import type { WebServer } from '../../../src-main/web/web-server.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { nextEvent } from '../phone/phone-events.ts';
import { browserSocket, fixtureUi, rawSocket } from './browser-fixture.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request, as a browser (or anything else on this computer) might send it. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Browser mode's carrier: the UI and the phone's WebSocket on 127.0.0.1, for the person's own
 * browser tab only (token, Origin, Host), carrying the same contract as Electron's IPC.
 */
describe('browser mode: the web server and its WebSocket carrier', () => {
  const dirs = tempDirs();
  let core: PhoneCore;
  let web: WebServer;
  let base: string;
  const Socket = browserSocket();

  beforeAll(async () => {
    core = await PhoneCore.open({
      dataDir: dirs.make('chordline-web-phone-'),
      mode: 'browser',
      keyPassphrase: async () => 'pp',
      onError: () => undefined,
    });
    const ui = fixtureUi(dirs.make('chordline-web-ui-'));
    web = await startWebServer({ phone: core, port: 0, ui: () => ({ state: 'ready', dir: ui }) });
    base = `http://127.0.0.1:${web.port}`;
  });

  afterAll(async () => {
    await web?.close();
    await core?.stop();
    dirs.cleanup();
  });

  it('serves the page with the token, with a strict Content-Security-Policy, and refuses it without', async () => {
    expect(web.url).toBe(`${base}/?token=${web.token}`);
    const page = await get(web.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Chordline fixture');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    for (const url of [`${base}/`, `${base}/?token=`, `${base}/?token=${web.token.slice(0, -1)}x`]) {
      const refused = await get(url);
      expect(refused.status, url).toBe(403);
      expect(refused.body).not.toContain('Chordline fixture');
    }
  });

  it('lets the page load its scripts with the cookie its first load set, and nobody else', async () => {
    const page = await get(web.url);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await get(`${base}/assets/app.js`, { Cookie: cookie })).body).toContain('the phone');
    expect((await get(`${base}/assets/app.js`)).status).toBe(403);
    expect((await get(`${base}/assets/app.js`, { Cookie: `${cookie.split('=')[0]}=guess` })).status).toBe(
      403,
    );
  });

  it('answers only to its own name (no DNS rebinding), only GET, and nothing outside its folder', async () => {
    expect((await get(web.url, { Host: 'evil.example:80' })).status).toBe(403);
    expect((await get(web.url, { Host: `localhost:${web.port}` })).status).toBe(200);
    expect((await get(web.url, {}, 'POST')).status).toBe(405);
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%00.js',
      '/nothing.js',
    ]) {
      expect(
        (await get(`${base}${path}${path.includes('?') ? '&' : '?'}token=${web.token}`)).status,
        path,
      ).toBe(404);
    }
  });

  it('refuses a WebSocket with a wrong token, from another origin, or from no browser page at all', async () => {
    const good = `ws://127.0.0.1:${web.port}/ipc?token=${web.token}`;
    const origin = `http://127.0.0.1:${web.port}`;
    expect(await rawSocket(`ws://127.0.0.1:${web.port}/ipc?token=nope`, { origin })).toEqual({
      refused: 403,
    });
    expect(await rawSocket(good, { origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await rawSocket(good)).toEqual({ refused: 403 });
    expect(await rawSocket(`ws://127.0.0.1:${web.port}/other?token=${web.token}`, { origin })).toEqual({
      refused: 403,
    });
    const opened = await rawSocket(good, { origin });
    expect('socket' in opened).toBe(true);
    if ('socket' in opened) opened.socket.close();
  });

  it('gives the renderer the same PhoneApi as the contract: one function per command, and `on`', async () => {
    const api: PhoneApi = await connectPhone(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`, { Socket });
    try {
      for (const name of COMMAND_NAMES) expect(typeof api[name], name).toBe('function');
      expect(typeof api.on).toBe('function');
      const status = await api.appStatus();
      expect(status).toMatchObject({ phase: 'welcome', mode: 'browser', identity: null });
      expect(await api.getSettings()).toMatchObject({ refreshSeconds: 60, theme: 'system' });
    } finally {
      (api as PhoneConnection).close();
    }
  });

  it('an invalid argument comes back as a PhoneError the UI can show; the connection goes on', async () => {
    const api = await connectPhone(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`, { Socket });
    try {
      await expect(api.saveContact({ name: 'Bob', aor: 'bob' })).rejects.toMatchObject({
        name: 'PhoneError',
        code: 'invalid-input',
        message: expect.stringMatching(/sip:alice@example\.com/),
      });
      await expect(api.dial('sip:bob@example.com')).rejects.toMatchObject({ code: 'not-ready' });
      await expect(
        (api.saveSettings as (x: unknown) => Promise<unknown>)({ theme: 42 }),
      ).rejects.toBeInstanceOf(Error);
      expect((await api.appStatus()).phase).toBe('welcome');
    } finally {
      api.close();
    }
  });

  it('events arrive on every connected page; unsubscribing stops them', async () => {
    const url = `ws://127.0.0.1:${web.port}/ipc?token=${web.token}`;
    const [one, two] = [await connectPhone(url, { Socket }), await connectPhone(url, { Socket })];
    try {
      const atTwo = nextEvent(two, 'contactsChanged', (list) => list.some((c) => c.name === 'Carol'));
      const seen: string[][] = [];
      const off = one.on('contactsChanged', (list) => seen.push(list.map((c) => c.name)));
      const carol = await one.saveContact({ name: 'Carol', aor: 'carol@example.com' });
      await atTwo;
      expect(seen).toContainEqual(['Carol']);
      off();
      const gone = nextEvent(two, 'contactsChanged', (list) => list.length === 0);
      await two.removeContact(carol.id);
      await gone;
      expect(seen).toHaveLength(1);
    } finally {
      one.close();
      two.close();
    }
  });

  it('a new page first hears appChanged; malformed frames get a PhoneError; binary and oversized frames close it', async () => {
    const url = `ws://127.0.0.1:${web.port}/ipc?token=${web.token}`;
    const origin = `http://127.0.0.1:${web.port}`;
    const opened = await rawSocket(url, { origin });
    if (!('socket' in opened)) throw new Error('refused');
    const { socket, next } = opened;
    expect(await next()).toMatchObject({ event: 'appChanged', payload: { phase: 'welcome' } });

    socket.send('{ not json');
    expect(await next((f) => 'error' in f)).toMatchObject({
      id: null,
      error: { name: 'PhoneError', code: 'invalid-input' },
    });
    socket.send(JSON.stringify({ id: 7, command: 'selfDestruct' }));
    expect(await next((f) => f.id === 7)).toMatchObject({ error: { code: 'unknown-command' } });
    socket.send(JSON.stringify({ id: 'a1', command: 'listContacts' }));
    expect(await next((f) => f.id === 'a1')).toEqual({ id: 'a1', result: [] });

    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await closed).toBe(1003);

    const big = await rawSocket(url, { origin });
    if (!('socket' in big)) throw new Error('refused');
    const tooBig = new Promise<number>((resolve) => big.socket.once('close', (code) => resolve(code)));
    big.socket.send(
      JSON.stringify({ id: 1, command: 'importPkcs12', arg: { base64: 'A'.repeat(2_000_000) } }),
    );
    expect(await tooBig).toBe(1009);
    expect((await core.invoke('appStatus')).phase).toBe('welcome');
  });

  it('the client comes back by itself when the server restarts on the same address', async () => {
    const api = await connectPhone(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`, { Socket });
    const changes: boolean[] = [];
    api.onConnectionChange((up) => changes.push(up));
    try {
      const { port, token } = web;
      const impatient = await connectPhone(`ws://127.0.0.1:${port}/ipc?token=${token}`, {
        Socket,
        requestWaitMs: 200,
      });
      const down = new Promise<void>((resolve) => {
        const off = api.onConnectionChange((up) => {
          if (!up) resolve(off());
        });
      });
      await web.close();
      await down;
      expect(api.connected).toBe(false);
      // A call made while the phone is away waits a little, then says what happened.
      await expect(impatient.listContacts()).rejects.toMatchObject({ code: 'disconnected' });
      impatient.close();
      web = await startWebServer({ phone: core, port, token, ui: () => ({ state: 'building' }) });
      const again = await api.appStatus();
      expect(again.phase).toBe('welcome');
      expect(changes).toEqual([false, true]);
      expect((await get(web.url)).status).toBe(503);
    } finally {
      api.close();
    }
  }, 20_000);
});
