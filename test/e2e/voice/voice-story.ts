import type { Locator, Page } from 'playwright-core';
import { definition, UI_TIMEOUT_MS } from '../phone-screen.ts';
import type { PhoneScreen } from '../phone-screen.ts';

/** Waits on the state of the screen (expect.poll), never on the clock. */
export const until = { timeout: UI_TIMEOUT_MS, interval: 100 };

/**
 * Reads until `ok` holds, and returns that reading; after UI_TIMEOUT_MS, throws saying what was
 * awaited and what was read last. For the moves below, which the benchmark shares with the
 * tests (outside vitest, so no expect.poll).
 */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not in ${UI_TIMEOUT_MS} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, until.interval));
  }
}

/**
 * The moves of the voice stories that issue 4's story already checks in detail (create, add an
 * account, join, add a contact): here they only set the stage, so they wait for each step and
 * check what the next one needs.
 */
export async function createNetwork(
  screen: PhoneScreen,
  network: { domain: string; user: string; password: string },
): Promise<void> {
  const form = screen.page.getByRole('form', { name: 'Create a network' });
  await form.getByLabel('Domain').fill(network.domain);
  await form.getByLabel('Your user name').fill(network.user);
  await form.getByLabel('Password', { exact: true }).fill(network.password);
  await form.getByLabel('Repeat password').fill(network.password);
  await form.getByRole('button', { name: 'Create network' }).click();
  await screen.nav.waitFor();
}

/** On the host's Network screen: a new account; returns the login server's address. */
export async function addAccount(screen: PhoneScreen, user: string, password: string): Promise<string> {
  await screen.go('Network');
  const people = screen.page.getByRole('region', { name: 'People on this network' });
  const add = people.getByRole('form', { name: 'Add an account' });
  await add.getByLabel('User name').fill(user);
  await add.getByLabel('Their password').fill(password);
  await add.getByRole('button', { name: 'Add account' }).click();
  await people.getByRole('status').filter({ hasText: 'can now join' }).waitFor();
  return (await definition(people, 'Login server').innerText()).trim();
}

export async function joinNetwork(
  screen: PhoneScreen,
  join: { loginServer: string; user: string; password: string },
): Promise<void> {
  await screen.page.getByRole('tab', { name: 'Join a network' }).click();
  const form = screen.page.getByRole('form', { name: 'Join a network' });
  await form.getByLabel('Login server').fill(join.loginServer);
  await form.getByLabel('User name').fill(join.user);
  await form.getByLabel('Password', { exact: true }).fill(join.password);
  await form.getByRole('button', { name: 'Join network' }).click();
  await screen.nav.waitFor();
}

/** A contact, once the phone sees them online; returns their row. */
export async function addContact(screen: PhoneScreen, name: string, address: string): Promise<Locator> {
  await screen.go('Contacts');
  await screen.page.getByRole('button', { name: 'Add contact', exact: true }).first().click();
  const form = screen.page.getByRole('form', { name: 'New contact' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Address').fill(address);
  await form.getByRole('button', { name: 'Add contact' }).click();
  const row = screen.page.getByRole('list', { name: 'Contacts' }).getByRole('listitem', { name });
  await waitFor(
    `${name} online in the contacts`,
    () => row.innerText(),
    (text) => /\bOnline\b/.test(text),
  );
  return row;
}

/** The controls of the call on screen (CallControls): found by role and name. */
export function callControls(page: Page) {
  const toggle = (name: string) => page.getByRole('button', { name, exact: true });
  return {
    mute: toggle('Mute'),
    hold: toggle('Hold'),
    keypad: toggle('Keypad'),
    hangUp: toggle('Hang up'),
    tone: (key: string) => toggle(`Tone ${key}`),
    quality: page.getByRole('status', { name: 'Call quality' }),
    meter: page.getByRole('meter', { name: 'Microphone level' }),
  };
}

/** Clicks a toggle and waits for it to say it is pressed (or released). */
export async function press(toggle: Locator, pressed: boolean): Promise<void> {
  await toggle.click();
  await waitFor(
    `the toggle ${pressed ? 'pressed' : 'released'}`,
    () => toggle.getAttribute('aria-pressed'),
    (value) => value === String(pressed),
  );
}
