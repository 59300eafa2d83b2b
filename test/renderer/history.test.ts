import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Sidebar from '../../src-renderer/components/Sidebar.svelte';
import { CallsState } from '../../src-renderer/state/calls.svelte.ts';
import { HistoryState } from '../../src-renderer/state/history.svelte.ts';
import { NavigationState } from '../../src-renderer/state/navigation.svelte.ts';
import { SessionState } from '../../src-renderer/state/session.svelte.ts';
import HistoryView from '../../src-renderer/views/HistoryView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

const now = Date.now();
const answered = fixtures.historyEntry({ id: 'h-out', startedAt: now - 7_200_000 });
const missed = fixtures.historyEntry({
  id: 'h-missed',
  direction: 'incoming',
  peer: 'sip:carol@example.com',
  peerName: 'Carol Diaz',
  startedAt: now - 600_000,
  answeredAt: null,
  endedAt: now - 590_000,
  status: 487,
  reason: 'Request Terminated',
  missed: true,
});

async function historyScreen(api = fakePhone({ listHistory: async () => [answered, missed] })) {
  const history = new HistoryState(api);
  const calls = new CallsState(api);
  await history.load();
  render(HistoryView, { props: { history, calls } });
  return { api, history };
}

describe('call history', () => {
  it('lists calls newest first and marks the missed one', async () => {
    await historyScreen();
    const items = within(screen.getByRole('list', { name: 'Calls' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.classList.contains('missed')).toBe(true);
    expect(within(items[0]!).getByText('Missed')).toBeTruthy();
    expect(items[0]?.textContent).toContain('Carol Diaz');
    expect(items[1]?.classList.contains('missed')).toBe(false);
    expect(items[1]?.textContent).toContain('Outgoing, 2:06');
  });

  it('filters to the missed calls', async () => {
    await historyScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Missed' }));
    expect(within(screen.getByRole('list', { name: 'Calls' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('calls back from an entry', async () => {
    const { api } = await historyScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Call Carol Diaz back' }));
    expect(api.dial).toHaveBeenCalledWith('sip:carol@example.com');
  });

  it('clears the history after a second look', async () => {
    const { api } = await historyScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Clear history' }));
    expect(api.clearHistory).toHaveBeenCalledOnce();
    expect(await screen.findByText('No calls yet')).toBeTruthy();
  });

  it('follows the history the core keeps', async () => {
    const { api } = await historyScreen(fakePhone());
    expect(screen.getByText('No calls yet')).toBeTruthy();
    api.emit('historyChanged', [missed]);
    expect(await screen.findByText('Carol Diaz')).toBeTruthy();
  });

  it('counts unseen missed calls in the sidebar until the history is looked at', async () => {
    localStorage.clear();
    const api = fakePhone({ listHistory: async () => [answered, missed] });
    const history = new HistoryState(api);
    const session = new SessionState(api);
    await Promise.all([history.load(), session.load()]);
    render(Sidebar, {
      props: { navigation: new NavigationState(), session, history, calls: new CallsState(api) },
    });

    expect(screen.getByLabelText('1 missed')).toBeTruthy();
    history.markSeen();
    await waitFor(() => expect(screen.queryByLabelText('1 missed')).toBeNull());
  });
});
