import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectPhone, ipcUrlFor } from '../../src-main/ipc/ws-client.ts';
import { ensureRendererBuilt } from '../../src-main/web/renderer-build.ts';
import { tempDirs } from '../helpers/temp-dir.ts';
import { browserSocket } from '../integration/web/browser-fixture.ts';
import { startPhone } from './phone-process.ts';
import type { PhoneProcess } from './phone-process.ts';
import { definition, PhoneScreen, SCREENSHOTS, UI_TIMEOUT_MS } from './phone-screen.ts';

/** Debian's Chromium (package `chromium`; .ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
const ALICE = 'sip:alice@example.com';
const BOB = 'sip:bob@example.com';
const BOB_PASSWORD = 'correct horse';
const EXPORT_PASSWORD = 'p12 for the laptop';
/** Waits on the state of the screen (expect.poll), never on the clock. */
const until = { timeout: UI_TIMEOUT_MS, interval: 100 };

/**
 * Issue 4, end to end: two people, two phones in browser mode (real processes, each with its own
 * folder and port), a real login server (inside Alice's phone), real peers on real UDP, and
 * each person's screen in Debian's Chromium. The stories run in order; each starts where the
 * last one left the phones.
 */
describe('two people set up Chordline in their browsers and call each other', () => {
  const dirs = tempDirs();
  const phones: PhoneProcess[] = [];
  const screens: PhoneScreen[] = [];
  let browser: Browser;
  let uiDir: string;
  let alice: PhoneScreen;
  let bob: PhoneScreen;
  let loginServer: string;

  /** `npm run start:web -- --data DIR` on a new folder, and its address opened in a tab. */
  const startAndOpen = async (who: string): Promise<PhoneScreen> => {
    const phone = await startPhone({ dataDir: dirs.make(`chordline-e2e-${who}-`), uiDir });
    phones.push(phone);
    const screen = await PhoneScreen.open(browser, who, phone.url);
    screens.push(screen);
    return screen;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package "chromium" (.ci/run does)`);
    }
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    // The UI built once from the sources, into a folder of its own (never the repository's out/).
    const [built, launched] = await Promise.all([
      ensureRendererBuilt({ out: join(dirs.make('chordline-e2e-ui-'), 'renderer') }),
      chromium.launch({ executablePath: CHROMIUM, headless: true }),
    ]);
    uiDir = built.dir;
    browser = launched;
  }, 120_000);

  // A story that fails leaves a picture of every screen as it was, beside the main screens; the
  // stories after it, which start where it should have left the phones, are skipped.
  let failed: string | undefined;
  beforeEach(({ task, onTestFailed, skip }) => {
    if (failed) skip(`it needs "${failed}"`);
    onTestFailed(async () => {
      failed ??= task.name;
      const name = task.name
        .split(/[^\w]+/)
        .slice(0, 4)
        .join('-')
        .toLowerCase();
      await Promise.allSettled(screens.map((screen) => screen.shot(`failed-${name}-${screen.who}`)));
    });
  });

  afterAll(async () => {
    // Everything closes, whatever happened: the tabs, the browser, then each phone (Ctrl-C).
    await Promise.allSettled(screens.map((screen) => screen.close()));
    await browser?.close().catch(() => undefined);
    const codes = await Promise.all(phones.map((phone) => phone.stop()));
    dirs.cleanup();
    expect(codes, 'every phone stops cleanly on Ctrl-C').toEqual(phones.map(() => 0));
  }, 60_000);

  it('Alice starts a phone on a new folder, creates a network, and gives Bob an account', async () => {
    alice = await startAndOpen('alice');
    const { page } = alice;

    await page.getByRole('heading', { name: 'Welcome to Chordline' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Create a network' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await alice.shot('01-welcome');

    const form = page.getByRole('form', { name: 'Create a network' });
    await form.getByLabel('Domain').fill('example.com');
    await form.getByLabel('Your user name').fill('alice');
    await form.getByLabel('Password', { exact: true }).fill('alice pw');
    await form.getByLabel('Repeat password').fill('alice pw');
    await form.getByRole('button', { name: 'Create network' }).click();

    // In the network: the phone itself, signed in as Alice, hosting the login server.
    await alice.nav.waitFor();
    expect(await page.getByRole('group', { name: 'Signed in as' }).innerText()).toContain(ALICE);
    expect(await page.getByText('Hosting the login server').count()).toBe(1);

    // The network screen is where the host gives people accounts and reads out the address.
    await alice.go('Network');
    const people = page.getByRole('region', { name: 'People on this network' });
    const add = people.getByRole('form', { name: 'Add an account' });
    await add.getByLabel('User name').fill('bob');
    await add.getByLabel('Their password').fill(BOB_PASSWORD);
    await add.getByRole('button', { name: 'Add account' }).click();
    await people
      .getByRole('status')
      .filter({ hasText: `${BOB} can now join` })
      .waitFor();
    const accounts = people.getByRole('list', { name: 'Accounts' });
    await accounts.getByRole('listitem', { name: BOB }).waitFor();
    expect(await accounts.getByRole('listitem').count()).toBe(2);

    loginServer = (await definition(people, 'Login server').innerText()).trim();
    expect(loginServer).toMatch(/^sip:ls@127\.0\.0\.1:\d+$/);
  });

  it('Bob starts his own phone and joins with that address; a wrong password first says so plainly', async () => {
    bob = await startAndOpen('bob');
    const { page } = bob;

    await page.getByRole('tab', { name: 'Join a network' }).click();
    const form = page.getByRole('form', { name: 'Join a network' });
    await form.getByLabel('Login server').fill(loginServer);
    await form.getByLabel('User name').fill('bob');
    await form.getByLabel('Password', { exact: true }).fill('Correct horse');
    await form.getByRole('button', { name: 'Join network' }).click();

    // One plain sentence: what went wrong and what to do, nothing a programmer would write.
    const alert = page.getByRole('alert');
    await alert.first().waitFor();
    expect(await alert.count()).toBe(1);
    const said = await alert.innerText();
    expect(said).toMatch(/^Wrong password for sip:bob@example\.com: check it .* and try again$/);
    expect(said).not.toMatch(/Error|undefined|\bat \S+:\d+/);
    await bob.shot('02-join-wrong-password');

    // The form kept what he typed: only the password needs fixing.
    expect(await form.getByLabel('Login server').inputValue()).toBe(loginServer);
    expect(await form.getByLabel('User name').inputValue()).toBe('bob');
    await form.getByLabel('Password', { exact: true }).fill(BOB_PASSWORD);
    await form.getByRole('button', { name: 'Join network' }).click();

    await bob.nav.waitFor();
    expect(await page.getByRole('group', { name: 'Signed in as' }).innerText()).toContain(BOB);
    expect(await page.getByText('Joined network').count()).toBe(1);
  });

  it('Alice adds Bob as a contact, sees him online and calls him; he accepts; she hangs up; both have it in their history', async () => {
    await alice.go('Contacts');
    await alice.page.getByRole('button', { name: 'Add contact', exact: true }).first().click();
    const form = alice.page.getByRole('form', { name: 'New contact' });
    await form.getByLabel('Name').fill('Bob');
    await form.getByLabel('Address').fill('bob');
    await form.getByRole('button', { name: 'Add contact' }).click();

    const row = alice.page.getByRole('list', { name: 'Contacts' }).getByRole('listitem', { name: 'Bob' });
    await expect.poll(() => row.innerText(), until).toMatch(/\bOnline\b/);
    expect(await row.innerText()).toContain(BOB);
    await alice.page.getByText('1 person, 1 online').waitFor();
    await alice.shot('03-contacts');

    await row.getByRole('button', { name: 'Call Bob' }).click();
    await alice.page.getByRole('heading', { level: 1, name: 'Bob' }).waitFor();

    // Bob's screen rings, with the caller as her certificate proves her.
    const ringing = bob.page.getByRole('alertdialog', { name: 'alice' });
    await ringing.waitFor();
    const caller = await ringing.innerText();
    expect(caller).toContain(ALICE);
    expect(caller).toContain('Identity verified by certificate');
    expect(caller).toContain('Not in your contacts');
    expect(await bob.page.title()).toBe('Incoming call from alice · Chordline');
    const aliceCall = alice.page.getByRole('region', { name: 'Bob' });
    await expect.poll(() => aliceCall.getByRole('status').innerText(), until).toBe('Ringing…');
    await bob.shot('04-incoming-call');

    await ringing.getByRole('button', { name: 'Accept' }).click();
    await ringing.waitFor({ state: 'detached' });

    // Both are in the call: the timer runs and the button hangs up.
    for (const screen of [alice, bob]) {
      await screen.page.getByRole('timer', { name: 'Call duration' }).first().waitFor();
      await screen.page.getByRole('button', { name: 'Hang up', exact: true }).waitFor();
    }
    await bob.page.getByRole('heading', { level: 1, name: 'alice' }).waitFor();
    await alice.shot('05-active-call');
    await bob.shot('05-active-call-bob');

    await alice.page.getByRole('button', { name: 'Hang up', exact: true }).click();
    await alice.page.getByRole('status').filter({ hasText: 'You hung up' }).waitFor();
    await bob.page.getByRole('status').filter({ hasText: 'alice hung up' }).waitFor();

    await alice.go('History');
    const aliceCalls = alice.page.getByRole('list', { name: 'Calls' }).getByRole('listitem');
    await expect
      .poll(() => aliceCalls.allInnerTexts(), until)
      .toEqual([expect.stringMatching(new RegExp(`Bob\\s+Outgoing, \\d+:\\d\\d · ${BOB}`))]);
    await alice.page.getByText('1 call, 0 missed').waitFor();
    await alice.shot('06-history');

    await bob.go('History');
    const bobCalls = bob.page.getByRole('list', { name: 'Calls' }).getByRole('listitem');
    await expect
      .poll(() => bobCalls.allInnerTexts(), until)
      .toEqual([expect.stringMatching(new RegExp(`alice\\s+Incoming, \\d+:\\d\\d · ${ALICE}`))]);
    await bob.shot('06-history-bob');
  });

  it("the network screens show each phone among the other's neighbours, as their identities say", async () => {
    const nodeIdOf = async (screen: PhoneScreen) => {
      await screen.go('Identity');
      const text = await definition(screen.page.getByRole('main'), 'NodeID').innerText();
      return text.replace(/\s/g, '');
    };
    const [aliceId, bobId] = [await nodeIdOf(alice), await nodeIdOf(bob)];
    expect(aliceId).toMatch(/^[0-9a-f]{40}$/);
    expect(bobId).toMatch(/^[0-9a-f]{40}$/);
    expect(aliceId).not.toBe(bobId);

    for (const [screen, other] of [
      [alice, bobId],
      [bob, aliceId],
    ] as const) {
      await screen.go('Network');
      const neighbours = screen.page.getByRole('region', { name: 'Neighbours' });
      const successors = neighbours.getByRole('list', { name: 'Successors' }).getByRole('listitem');
      // The ring is Alice's phone, Bob's and the network's echo test (a peer Alice's phone runs):
      // each phone follows the other or the echo test, so the other is among its successors.
      // Shortened on screen; the whole NodeID is its tooltip.
      await expect.poll(() => successors.getByTitle(other).count(), until).toBe(1);
      await expect.poll(() => successors.count(), until).toBe(2);
    }
    // Alice's screen also numbers her 160 fingers, knows Bob's signed messages, and lists the
    // lookup that found him online.
    const network = alice.page.getByRole('main');
    expect(await network.getByRole('heading', { name: /^Fingers/ }).textContent()).toMatch(/^Fingers\s*160$/);
    const fingers = network.getByRole('table', { name: /Fingers/ }).getByRole('row');
    expect(await fingers.nth(1).innerText()).toMatch(/^1–\d+\s/);
    expect(await network.getByRole('table', { name: /Known peers/ }).innerText()).toContain(BOB);
    await expect
      .poll(
        () =>
          network
            .getByRole('table', { name: /Recent lookups/ })
            .getByRole('row')
            .count(),
        until,
      )
      .toBeGreaterThan(1);
    await alice.shot('07-network');
    await bob.shot('07-network-bob');

    // The same, from the ring state the page's carrier serves (the WebSocket with its token).
    for (const [screen, self, other] of [
      [alice, aliceId, bobId],
      [bob, bobId, aliceId],
    ] as const) {
      const api = await connectPhone(ipcUrlFor(new URL(screen.page.url())), { Socket: browserSocket() });
      try {
        const ring = await api.ringState();
        expect(ring.self?.id).toBe(self);
        // Three in the ring: the other phone is next or next but one, and in a ring of three the
        // one behind is also the one two ahead.
        const ahead = ring.successors.slice(0, 2).map((s) => s.id);
        expect(ahead).toContain(other);
        expect(ring.predecessor?.id).toBe(ahead[1]);
      } finally {
        api.close();
      }
    }
  });

  it('Alice exports her certificate as PKCS#12 with a password; openssl reads it and finds her AOR', async () => {
    await alice.go('Identity');
    const main = alice.page.getByRole('main');
    await main.getByRole('heading', { name: ALICE }).waitFor();

    const exporting = main.getByRole('region', { name: 'Export' });
    await exporting.getByLabel('File password').fill(EXPORT_PASSWORD);
    await exporting.getByLabel('Repeat password').fill(EXPORT_PASSWORD);
    const [download] = await Promise.all([
      alice.page.waitForEvent('download'),
      exporting.getByRole('button', { name: 'Export PKCS#12' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('alice@example.com.p12');
    const file = join(dirs.make('chordline-e2e-download-'), download.suggestedFilename());
    await download.saveAs(file);
    await main.getByRole('status').filter({ hasText: 'Saved alice@example.com.p12' }).waitFor();
    await alice.shot('08-identity');

    const certificate = execFileSync(
      'openssl',
      ['pkcs12', '-in', file, '-nokeys', '-passin', `pass:${EXPORT_PASSWORD}`],
      { stdio: 'pipe' },
    ).toString();
    expect(certificate).toContain(`friendlyName: ${ALICE}`);
    expect(certificate).toMatch(/subject=CN\s*=\s*alice@example\.com/);
    expect(certificate).toContain('BEGIN CERTIFICATE');
    expect(certificate).not.toContain('PRIVATE KEY');
  });

  it('the settings screen says what this phone is: browser mode, its data folder', async () => {
    await alice.go('Settings');
    const about = alice.page.getByRole('region', { name: 'This phone' });
    expect(await definition(about, 'Runs as').innerText()).toBe('Browser mode (loopback only)');
    expect(await definition(about, 'Data folder').innerText()).toMatch(/chordline-e2e-alice-/);
    await alice.shot('09-settings');

    // Neither page threw or logged an error along the way.
    expect(alice.complaints).toEqual([]);
    expect(bob.complaints).toEqual([]);
  });
});
