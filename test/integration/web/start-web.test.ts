import { afterAll, describe, expect, it } from 'vitest';
import { chordline, chordlineDaemon } from '../../helpers/cli.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { fixtureUi } from './browser-fixture.ts';

const URL_LINE = /Open (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)) in your browser/;

/** `npm run start:web` as a person runs it: a real process, a real port, a browser's requests. */
describe('chordline start --web', () => {
  const dirs = tempDirs();
  const ui = fixtureUi(dirs.make('chordline-start-ui-'));
  afterAll(() => dirs.cleanup());

  it('prints the address, serves the page with its token and 403 without, and stops cleanly on Ctrl-C', async () => {
    const data = dirs.make('chordline-start-web-');
    const phone = await chordlineDaemon(
      ['start', '--web', '--data', data, '--port', '0', '--ui', ui],
      /Ctrl-C stops it/,
    );
    try {
      const [, url, port] = URL_LINE.exec(phone.output()) ?? [];
      expect(url, phone.output()).toBeDefined();
      // A new folder: nothing is created until the person chooses in the browser.
      expect(phone.output()).toMatch(
        /No network yet in .*: open the address below to create one or join one/,
      );
      expect(phone.output()).not.toMatch(/desktop window/);

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Chordline fixture');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${port}/?token=wrong`)).status).toBe(403);
    } finally {
      expect(await phone.stop('SIGINT')).toBe(0);
    }
  });

  it('two phones run side by side, each with its own folder and port', async () => {
    const one = await chordlineDaemon(
      ['start', '--web', '--data', dirs.make('chordline-one-'), '--port', '0', '--ui', ui],
      /Ctrl-C stops it/,
    );
    const two = await chordlineDaemon(['start', '--web', '--port', '0', '--ui', ui], /Ctrl-C stops it/, {
      env: { CHORDLINE_DATA: dirs.make('chordline-two-') },
    });
    try {
      const [urlOne, urlTwo] = [URL_LINE.exec(one.output())![1], URL_LINE.exec(two.output())![1]];
      expect(urlOne).not.toBe(urlTwo);
      expect((await fetch(urlOne)).status).toBe(200);
      expect((await fetch(urlTwo)).status).toBe(200);
    } finally {
      expect(await one.stop('SIGTERM')).toBe(0);
      expect(await two.stop('SIGINT')).toBe(0);
    }
  });

  it('a bad --port is a usage error, in one line', async () => {
    const run = await chordline([
      'start',
      '--web',
      '--port',
      'eighty',
      '--data',
      dirs.make('chordline-bad-'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'chordline: --port wants a port number from 0 to 65535 (0: any free one), not "eighty"',
    ]);
  });
});
