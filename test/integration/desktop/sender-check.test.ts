import { describe, expect, it } from 'vitest';
import { APP_HOST } from '../../../src-main/shell/app-url.ts';
import {
  senderRefusal,
  type IpcEventLike,
  type TrustedWindow,
} from '../../../src-main/shell/sender-check.ts';

/**
 * Main checks the sender of every command before the phone sees it. Electron's IPC events are
 * stood in for by plain objects of the same shape: this is the one place fakes are used, to
 * test the check on its own.
 */
describe('the IPC sender check', () => {
  const window: TrustedWindow = {
    webContentsId: 7,
    mainFrame: { processId: 41, routingId: 3 },
    origin: { host: APP_HOST },
  };
  const fromOurPage = (
    changes: Partial<IpcEventLike['senderFrame'] & object> = {},
    senderId = 7,
  ): IpcEventLike => ({
    sender: { id: senderId },
    senderFrame: {
      url: 'chordline://app/index.html#/contacts',
      processId: 41,
      routingId: 3,
      parent: null,
      detached: false,
      ...changes,
    },
  });

  it("accepts the main frame of our window showing Chordline's page", () => {
    expect(senderRefusal(fromOurPage(), window)).toBeNull();
  });

  it('refuses a frame that is not ours: another window, a subframe, another page, a frame gone', () => {
    expect(senderRefusal(fromOurPage({}, 8), window)).toMatch(/another window/);
    expect(senderRefusal(fromOurPage({ parent: { url: 'chordline://app/index.html' } }), window)).toMatch(
      /subframe/,
    );
    expect(senderRefusal(fromOurPage({ routingId: 4 }), window)).toMatch(/main frame/);
    expect(senderRefusal(fromOurPage({ processId: 42 }), window)).toMatch(/main frame/);
    expect(senderRefusal(fromOurPage({ url: 'https://evil.example/' }), window)).toMatch(
      /not Chordline's \(https:\/\/evil\.example\)/,
    );
    expect(senderRefusal(fromOurPage({ url: 'file:///home/alice/index.html' }), window)).toMatch(
      /not Chordline's/,
    );
    expect(senderRefusal(fromOurPage({ url: 'chordline://prompt/passphrase.html' }), window)).toMatch(
      /not Chordline's/,
    );
    expect(senderRefusal(fromOurPage({ detached: true }), window)).toMatch(/gone/);
    expect(senderRefusal({ sender: { id: 7 }, senderFrame: null }, window)).toMatch(/gone/);
    expect(senderRefusal(fromOurPage(), null)).toMatch(/no window/);
  });

  it('accepts the dev server only when one is configured (never in a packaged app)', () => {
    const dev = fromOurPage({ url: 'http://localhost:5173/' });
    expect(senderRefusal(dev, window)).toMatch(/not Chordline's/);
    expect(
      senderRefusal(dev, { ...window, origin: { host: APP_HOST, devServer: 'http://localhost:5173' } }),
    ).toBeNull();
    expect(
      senderRefusal(fromOurPage({ url: 'http://localhost:5174/' }), {
        ...window,
        origin: { host: APP_HOST, devServer: 'http://localhost:5173' },
      }),
    ).toMatch(/not Chordline's/);
  });
});
