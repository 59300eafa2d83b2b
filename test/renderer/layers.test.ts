import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LayersPanel from '../../src-renderer/components/LayersPanel.svelte';
import { LayersState } from '../../src-renderer/state/layers.svelte.ts';
import { RingState } from '../../src-renderer/state/ring.svelte.ts';
import NetworkView from '../../src-renderer/views/NetworkView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

async function layersPanel(api = fakePhone()) {
  const layers = new LayersState(api);
  await layers.load();
  render(LayersPanel, { props: { layers } });
  return { api, layers };
}

/** The cells of a layer's row: layer, algorithm, health, detail. */
function row(layer: 'Trust' | 'Identity' | 'Presence'): string[] {
  const table = screen.getByRole('table', { name: 'Layers' });
  const header = within(table).getByRole('rowheader', { name: new RegExp(`^${layer}`) });
  return [...header.parentElement!.children].map((cell) => cell.textContent!.trim());
}

const startButton = () => screen.getByRole('button', { name: 'Switch identity to onehop…' });

describe('the layers of the network', () => {
  it('shows each layer with its algorithm, its health and why', async () => {
    await layersPanel();
    const table = screen.getByRole('table', { name: 'Layers' });
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual([
      expect.stringContaining('Trust'),
      expect.stringContaining('Identity'),
      expect.stringContaining('Presence'),
    ]);
    expect(row('Trust')).toEqual([
      expect.stringContaining('Trust'),
      'login-server',
      'OK',
      expect.stringContaining('Login server hosted here'),
    ]);
    expect(row('Identity').slice(1)).toEqual(['chord', 'OK', '4 other peers known, successor 5b0c7d2e…']);
    expect(row('Presence')[3]).toContain('watching 2 contacts');
  });

  it('Alice, the operator, switches the identity layer to onehop after saying yes', async () => {
    const { api } = await layersPanel();
    await fireEvent.click(startButton());

    // The question, with Cancel ready under the keyboard: one Enter too many changes nothing.
    const group = screen.getByRole('group', { name: 'Switch the identity layer' });
    expect(group.textContent).toContain('from chord to onehop');
    const cancel = within(group).getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(document.activeElement).toBe(cancel));
    expect(api.switchLayer).not.toHaveBeenCalled();

    await fireEvent.click(within(group).getByRole('button', { name: 'Switch to onehop' }));
    expect(api.switchLayer).toHaveBeenCalledWith({ layer: 'identity', algorithm: 'onehop' });
    await waitFor(() => expect(row('Identity')[2]).toBe('Switching'));
    expect(row('Identity')[3]).toBe('Switching to onehop: joining the new overlay');
    // No second switch while this one runs, and the page says why where the focus lands.
    expect((startButton() as HTMLButtonElement).disabled).toBe(true);
    const why = screen.getByText(/A switch is under way/);
    expect(startButton().getAttribute('aria-describedby')).toBe(why.id);
    await waitFor(() => expect(document.activeElement).toBe(why));
  });

  it('follows the switch live: switching, then OK on onehop, and says how it ended', async () => {
    const { api } = await layersPanel();
    api.emit(
      'networkChanged',
      fixtures.network({
        layers: fixtures.layers({
          health: 'switching',
          phase: 'checking',
          epoch: 1,
          detail: 'Switching to onehop: checking owners',
        }),
      }),
    );
    await waitFor(() => expect(row('Identity')[3]).toBe('Switching to onehop: checking owners'));
    expect(row('Identity')[1]).toContain('switch 1');

    api.emit(
      'networkChanged',
      fixtures.network({
        layers: fixtures.layers({
          algorithm: 'onehop',
          epoch: 1,
          detail: '4 other peers known, each one hop away',
          switchTo: ['chord'],
        }),
        lastSwitch: {
          layer: 'identity',
          epoch: 1,
          from: 'chord',
          to: 'onehop',
          outcome: 'done',
          reason: null,
          at: Date.now(),
        },
      }),
    );
    await waitFor(() =>
      expect(row('Identity').slice(2)).toEqual(['OK', '4 other peers known, each one hop away']),
    );
    expect(row('Identity')[1]).toMatch(/^onehop/);
    expect(screen.getByRole('status').textContent).toMatch(
      /Switched the identity layer from chord to onehop at .+ \(switch 1\)\./,
    );
    // And back again, if the operator wants.
    expect(screen.getByRole('button', { name: 'Switch identity to chord…' })).toBeTruthy();
  });

  it('tells how a switch that was given up ended, and that the old algorithm still runs', async () => {
    await layersPanel(
      fakePhone({
        appStatus: async () =>
          fixtures.status({
            network: fixtures.network({
              lastSwitch: {
                layer: 'identity',
                epoch: 2,
                from: 'chord',
                to: 'onehop',
                outcome: 'aborted',
                reason: 'no peer running onehop answered, not even the seed sip:127.0.0.1:5070',
                at: Date.now(),
              },
            }),
          }),
      }),
    );
    const status = screen.getByRole('status').textContent!;
    expect(status).toContain('The switch of the identity layer to onehop was given up');
    expect(status).toContain('not even the seed');
    expect(status).toContain('This phone still runs chord.');
  });

  it('Cancel, or Escape, closes the question without switching and gives the focus back', async () => {
    const { api } = await layersPanel();
    await fireEvent.click(startButton());
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(startButton()));

    await fireEvent.click(startButton());
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    // Escape here answers the question; it must not also hang up a call (App's shortcut).
    const notPrevented = await fireEvent.keyDown(cancel, { key: 'Escape' });
    expect(notPrevented).toBe(false);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(startButton()));
    expect(api.switchLayer).not.toHaveBeenCalled();
  });

  it('on a phone that did not create the network, the switch is there but off, and says who can', async () => {
    const { api } = await layersPanel(
      fakePhone({
        appStatus: async () =>
          fixtures.status({ network: fixtures.network({ hosted: false, operator: false }) }),
      }),
    );
    const button = startButton() as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const why = document.getElementById(button.getAttribute('aria-describedby')!)!;
    expect(why.textContent).toContain('Only the phone that created this network can switch its layers');
    await fireEvent.click(button);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(api.switchLayer).not.toHaveBeenCalled();
  });

  it('shows the core’s refusal in its own words', async () => {
    await layersPanel(
      fakePhone({
        switchLayer: async () =>
          Promise.reject({
            name: 'PhoneError',
            code: 'switch-refused',
            message:
              'The identity layer did not switch to onehop: Conflict: switch epoch 1 is not newer than epoch 1, already done here (409)',
          }),
      }),
    );
    await fireEvent.click(startButton());
    await fireEvent.click(screen.getByRole('button', { name: 'Switch to onehop' }));
    expect((await screen.findByRole('alert')).textContent).toContain('is not newer than epoch 1');
    // Nothing changed: the switch can be tried again.
    await waitFor(() => expect((startButton() as HTMLButtonElement).disabled).toBe(false));
    expect(row('Identity')[2]).toBe('OK');
  });

  it('stops listening when disposed', async () => {
    const api = fakePhone();
    const layers = new LayersState(api);
    expect(api.listenerCount('networkChanged')).toBe(1);
    layers.dispose();
    expect(api.listenerCount('networkChanged')).toBe(0);
    expect(api.listenerCount('appChanged')).toBe(0);
  });
});

describe('the network view with its layers', () => {
  it('puts the layers above the ring, and after a switch to onehop expects no fingers', async () => {
    const api = fakePhone({
      appStatus: async () =>
        fixtures.status({
          network: fixtures.network({
            layers: fixtures.layers({ algorithm: 'onehop', switchTo: ['chord'] }),
          }),
        }),
      ringState: async () => ({ ...fixtures.ring(), fingers: [] }),
    });
    const ring = new RingState(api);
    const layers = new LayersState(api);
    await Promise.all([ring.load(), layers.load()]);
    render(NetworkView, { props: { ring, layers, network: fixtures.status().network } });
    expect(screen.getByRole('table', { name: 'Layers' })).toBeTruthy();
    expect(screen.getByText(/No fingers: onehop keeps none/)).toBeTruthy();
  });
});
