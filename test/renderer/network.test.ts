import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { AccountsState } from '../../src-renderer/state/accounts.svelte.ts';
import { RingState } from '../../src-renderer/state/ring.svelte.ts';
import NetworkView from '../../src-renderer/views/NetworkView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

async function networkScreen(api = fakePhone()) {
  const ring = new RingState(api);
  await ring.load();
  const { container } = render(NetworkView, { props: { ring, network: fixtures.status().network } });
  return { api, ring, container };
}

describe('the network view', () => {
  it('shows this node, its predecessor and its successors', async () => {
    await networkScreen();
    const view = fixtures.ring();
    expect(screen.getByTitle(view.self!.id)).toBeTruthy();
    expect(screen.getByTestId('predecessor').textContent).toContain('sip:127.0.0.1:5074');
    const successors = within(screen.getByRole('list', { name: 'Successors' })).getAllByRole('listitem');
    expect(successors.map((s) => s.textContent)).toEqual([
      expect.stringContaining('sip:127.0.0.1:5071'),
      expect.stringContaining('sip:127.0.0.1:5072'),
    ]);
  });

  it('draws the ring with one chord per node the fingers point at', async () => {
    const { container } = await networkScreen();
    expect(screen.getByRole('img', { name: 'The identity ring' })).toBeTruthy();
    const chords = container.querySelectorAll('path.chord');
    // Fingers 1 to 158 all point at bob: one chord, numbered by its first finger.
    expect([...chords].map((c) => c.getAttribute('data-finger'))).toEqual(['1', '159', '160']);
    expect(chords[0]?.textContent).toBe('Fingers 1–158 → 5b0c7d2e…');
    // Five nodes in all: this one, erin (predecessor), bob and carol (successors), dave (finger).
    expect(container.querySelectorAll('circle.dot')).toHaveLength(5);
    expect(container.querySelectorAll('circle.dot.self')).toHaveLength(1);
  });

  it('draws no chord for a finger that points back at this node (a ring of two)', async () => {
    const view = fixtures.ring();
    const bob = view.successors[0]!;
    const { container } = await networkScreen(
      fakePhone({
        ringState: async () => ({
          ...view,
          predecessor: bob,
          successors: [bob],
          fingers: [
            { finger: 1, start: view.fingers[0]!.start, node: bob },
            { finger: 160, start: 'bf2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c', node: view.self! },
          ],
        }),
      }),
    );
    const chords = container.querySelectorAll('path.chord');
    expect([...chords].map((c) => c.getAttribute('data-finger'))).toEqual(['1']);
  });

  it('lists fingers that share a node as one range, by their numbers in the finger table', async () => {
    await networkScreen();
    const table = screen.getByRole('table', { name: /Fingers/ });
    const rows = within(table).getAllByRole('row').slice(1);
    // The core sends a row where the node changes; each stands for the fingers up to the next.
    expect(rows.map((r) => r.firstElementChild?.textContent)).toEqual(['1–158', '159', '160']);
    expect(screen.getByRole('heading', { name: /Fingers/ }).textContent).toBe('Fingers 160');
  });

  it('lists known peers and recent lookups with their hops', async () => {
    await networkScreen();
    expect(
      within(screen.getByRole('table', { name: /Known peers/ })).getByText('sip:carol@example.com'),
    ).toBeTruthy();
    const lookups = within(screen.getByRole('table', { name: /Recent lookups/ })).getAllByRole('row');
    expect(lookups[1]?.textContent).toContain('2');
  });

  it('redraws as the ring changes', async () => {
    const { api, container } = await networkScreen();
    const view = fixtures.ring();
    api.emit('ringChanged', { ...view, fingers: view.fingers.slice(0, 1), predecessor: null });
    await waitFor(() => expect(container.querySelectorAll('path.chord')).toHaveLength(1));
    expect(screen.getByTestId('predecessor').textContent).toContain('None yet');
  });
});

describe('the people on a network this phone hosts', () => {
  async function hostedScreen(api = fakePhone()) {
    const ring = new RingState(api);
    const accounts = new AccountsState(api);
    await Promise.all([ring.load(), accounts.load()]);
    render(NetworkView, { props: { ring, accounts, network: fixtures.status().network } });
    return { api };
  }

  it('tells what a person needs to join: the login server and its CA fingerprint', async () => {
    await hostedScreen();
    const section = screen.getByRole('region', { name: 'People on this network' });
    expect(section.textContent).toContain('sip:ls@127.0.0.1:5060');
    expect(section.textContent).toContain('C0:FF:EE:C0');
    expect(within(screen.getByRole('list', { name: 'Accounts' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('adds an account for a colleague', async () => {
    const { api } = await hostedScreen();
    const form = screen.getByRole('form', { name: 'Add an account' });
    await fireEvent.input(within(form).getByLabelText('User name'), { target: { value: 'bob' } });
    await fireEvent.input(within(form).getByLabelText('Their password'), { target: { value: 'b0b-pass' } });
    await fireEvent.submit(form);

    expect(api.addUser).toHaveBeenCalledWith({ user: 'bob', password: 'b0b-pass' });
    expect(await screen.findByRole('listitem', { name: 'sip:bob@example.com' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('sip:bob@example.com can now join');
  });

  it('removes an account after a second look, and shows the core’s refusal', async () => {
    const { api } = await hostedScreen(
      fakePhone({
        removeUser: async () =>
          Promise.reject({
            name: 'PhoneError',
            code: 'invalid-input',
            message: 'You cannot remove yourself from the network you host',
          }),
      }),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Remove alice' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(api.removeUser).toHaveBeenCalledWith('alice');
    expect((await screen.findByRole('alert')).textContent).toContain('You cannot remove yourself');
  });

  it('is absent on a phone that joined someone else’s network', async () => {
    const api = fakePhone();
    const ring = new RingState(api);
    await ring.load();
    const network = { ...fixtures.status().network!, hosted: false };
    render(NetworkView, { props: { ring, accounts: new AccountsState(api), network } });
    expect(screen.queryByRole('region', { name: 'People on this network' })).toBeNull();
  });
});
