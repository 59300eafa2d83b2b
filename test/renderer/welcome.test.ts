import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src-renderer/App.svelte';
import { SessionState } from '../../src-renderer/state/session.svelte.ts';
import WelcomeView from '../../src-renderer/views/WelcomeView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

const wrongPassword = { name: 'PhoneError', code: 'wrong-password', message: 'Wrong password for alice.' };

async function welcomeScreen(api = fakePhone({ appStatus: async () => fixtures.welcome() })) {
  const session = new SessionState(api);
  await session.load();
  render(WelcomeView, { props: { session } });
  return { api, session };
}

function type(label: string | RegExp, value: string) {
  return fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('first run', () => {
  it('when the login server refuses the password, the join form says so in the core’s words', async () => {
    const { api } = await welcomeScreen(
      fakePhone({
        appStatus: async () => fixtures.welcome(),
        joinNetwork: async () => Promise.reject(wrongPassword),
      }),
    );

    await fireEvent.click(screen.getByRole('tab', { name: 'Join a network' }));
    await type('Login server', '192.168.1.10:5060');
    await type('User name', 'alice');
    await type('Password', 'not-her-password');
    await fireEvent.click(screen.getByRole('button', { name: 'Join network' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Wrong password for alice.');
    // HOST:PORT is completed into the login server's SIP address.
    expect(api.joinNetwork).toHaveBeenCalledWith({
      loginServer: 'sip:ls@192.168.1.10:5060',
      user: 'alice',
      password: 'not-her-password',
    });
  });

  it('a refused join leaves the form as the person filled it, with the core’s words said once', async () => {
    // The core's own sequence: 'starting' while it logs in, back to 'welcome' with the problem, then the refusal.
    const api = fakePhone({
      appStatus: async () => fixtures.welcome(),
      joinNetwork: async () => {
        api.emit('appChanged', fixtures.status({ phase: 'starting', identity: null, network: null }));
        api.emit('appChanged', { ...fixtures.welcome(), problem: wrongPassword.message });
        return Promise.reject(wrongPassword);
      },
    });
    render(App, { props: { api } });

    await fireEvent.click(await screen.findByRole('tab', { name: 'Join a network' }));
    await type('Login server', '192.168.1.10:5060');
    await type('User name', 'alice');
    await type('Password', 'not-her-password');
    await fireEvent.click(screen.getByRole('button', { name: 'Join network' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Wrong password for alice.');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('tab', { name: 'Join a network' }).getAttribute('aria-selected')).toBe('true');
    expect((screen.getByLabelText('Login server') as HTMLInputElement).value).toBe('192.168.1.10:5060');
    expect((screen.getByLabelText('User name') as HTMLInputElement).value).toBe('alice');
  });

  it('passes a pinned CA fingerprint on, without its colons', async () => {
    const { api } = await welcomeScreen();
    await fireEvent.click(screen.getByRole('tab', { name: 'Join a network' }));
    await type('Login server', 'sip:ls@10.0.0.2:5060');
    await type('User name', 'bob');
    await type('Password', 'secret');
    await type('CA fingerprint (optional)', 'AB:'.repeat(31) + 'AB');
    await fireEvent.click(screen.getByRole('button', { name: 'Join network' }));

    await waitFor(() =>
      expect(api.joinNetwork).toHaveBeenCalledWith({
        loginServer: 'sip:ls@10.0.0.2:5060',
        user: 'bob',
        password: 'secret',
        caFingerprint: 'ab'.repeat(32),
      }),
    );
  });

  it('creates a network, and shows why when the core refuses', async () => {
    const { api } = await welcomeScreen(
      fakePhone({
        appStatus: async () => fixtures.welcome(),
        createNetwork: async () =>
          Promise.reject({
            name: 'PhoneError',
            code: 'port-in-use',
            message: 'Port 5060 is in use by another program.',
          }),
      }),
    );

    await type('Domain', 'example.com');
    await type('Your user name', 'alice');
    await type('Password', 's3cret');
    await type('Repeat password', 's3cret');
    await fireEvent.click(screen.getByRole('button', { name: 'Create network' }));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'Port 5060 is in use by another program.',
    );
    expect(api.createNetwork).toHaveBeenCalledWith({
      domain: 'example.com',
      user: 'alice',
      password: 's3cret',
    });
  });

  it('does not send a form the core would refuse anyway', async () => {
    const { api } = await welcomeScreen();
    await type('Domain', 'not a domain');
    await type('Your user name', 'alice');
    await type('Password', 'one');
    await type('Repeat password', 'two');
    await fireEvent.click(screen.getByRole('button', { name: 'Create network' }));

    expect(screen.getByText(/Enter a domain such as example.com/)).toBeTruthy();
    expect(screen.getByText('The two passwords differ.')).toBeTruthy();
    expect(api.createNetwork).not.toHaveBeenCalled();
  });

  it('shows the phone starting, then the phone itself once the core says it is ready', async () => {
    const api = fakePhone({ appStatus: async () => fixtures.status({ phase: 'starting' }) });
    render(App, { props: { api } });

    expect(await screen.findByRole('heading', { name: 'Starting your phone' })).toBeTruthy();
    expect(screen.getByText(/Logging in to sip:ls@127.0.0.1:5060/)).toBeTruthy();

    api.emit('appChanged', fixtures.status());
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeTruthy();
    await waitFor(() => expect(api.listContacts).toHaveBeenCalled());
  });

  it('when the phone failed to start, says why and offers to set it up again', async () => {
    const problem =
      'The certificate for sip:alice@example.com was revoked on 3 March. Ask for a new account.';
    const api = fakePhone({ appStatus: async () => fixtures.status({ phase: 'failed', problem }) });
    render(App, { props: { api } });

    expect((await screen.findByRole('alert')).textContent).toContain(problem);
    await fireEvent.click(screen.getByRole('button', { name: 'Set up again' }));
    expect(screen.getByRole('tab', { name: 'Create a network' })).toBeTruthy();
  });
});
