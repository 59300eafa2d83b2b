import { act, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../src-renderer/App.svelte';
import { CallsState } from '../../src-renderer/state/calls.svelte.ts';
import ActiveCallView from '../../src-renderer/views/ActiveCallView.svelte';
import IncomingCallDialog from '../../src-renderer/views/IncomingCallDialog.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('an incoming call', () => {
  it('shows the caller as the certificate proves them, and Accept answers that call', async () => {
    const api = fakePhone();
    const calls = new CallsState(api);
    const call = fixtures.call({ id: 'call-42', peer: 'sip:bob@example.com', peerName: 'Bob Martin' });
    render(IncomingCallDialog, { props: { call, calls } });

    const dialog = screen.getByRole('alertdialog', { name: 'Bob Martin' });
    expect(dialog.textContent).toContain('sip:bob@example.com');
    expect(dialog.textContent).toContain('Identity verified by certificate');
    await fireEvent.click(screen.getByRole('button', { name: 'Accept' }));
    expect(api.answer).toHaveBeenCalledWith('call-42');
  });

  it('takes the focus to Accept, so Enter answers', async () => {
    const api = fakePhone();
    render(IncomingCallDialog, { props: { call: fixtures.call(), calls: new CallsState(api) } });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept' })));
  });

  it('Decline and Escape decline it', async () => {
    const api = fakePhone();
    render(IncomingCallDialog, {
      props: { call: fixtures.call({ id: 'call-7' }), calls: new CallsState(api) },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Decline' }));
    await fireEvent.keyDown(screen.getByRole('button', { name: 'Accept' }), { key: 'Escape' });
    expect(api.decline).toHaveBeenCalledTimes(2);
    expect(api.decline).toHaveBeenCalledWith('call-7');
  });

  it('says when the verified caller is not a contact', () => {
    const call = fixtures.call({ peer: 'sip:mallory@example.com', peerName: null });
    render(IncomingCallDialog, { props: { call, calls: new CallsState(fakePhone()) } });
    expect(screen.getByRole('alertdialog', { name: 'mallory' }).textContent).toContain(
      'Not in your contacts',
    );
  });

  it('rings over the phone when the core reports it, and gives the focus back when it stops', async () => {
    const api = fakePhone();
    render(App, { props: { api } });
    const contactsButton = await screen.findByRole('button', { name: 'Contacts' });
    contactsButton.focus();

    act(() => api.emit('callChanged', fixtures.call({ id: 'call-9' })));
    const accept = await screen.findByRole('button', { name: 'Accept' });
    await waitFor(() => expect(document.activeElement).toBe(accept));
    expect(document.title).toBe('Incoming call from Bob Martin · Chordline');

    // Bob gave up: the call ends unanswered, and the focus returns.
    act(() =>
      api.emit(
        'callChanged',
        fixtures.call({
          id: 'call-9',
          state: 'ended',
          endedAt: Date.now(),
          end: { status: 487, reason: 'Request Terminated', by: 'remote' },
        }),
      ),
    );
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(document.activeElement).toBe(contactsButton);
  });
});

describe('the call screen', () => {
  it('counts the call’s time and Hang up ends that call', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00Z') });
    const api = fakePhone();
    const calls = new CallsState(api);
    act(() =>
      api.emit(
        'callChanged',
        fixtures.call({
          id: 'call-5',
          state: 'active',
          answeredAt: Date.now() - 65_000,
          startedAt: Date.now() - 70_000,
        }),
      ),
    );
    render(ActiveCallView, { props: { calls, onclose: () => undefined } });

    expect(screen.getByRole('timer').textContent).toBe('1:05');
    await act(() => vi.advanceTimersByTime(3_000));
    expect(screen.getByRole('timer').textContent).toBe('1:08');
    expect(screen.getByText('Routed through 2 peers')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Hang up' }));
    expect(api.hangup).toHaveBeenCalledWith('call-5');
  });

  it('while an outgoing call rings, offers to cancel it', async () => {
    const api = fakePhone();
    const calls = new CallsState(api);
    await calls.dial('sip:carol@example.com');
    act(() =>
      api.emit(
        'callChanged',
        fixtures.call({
          id: 'call-out',
          direction: 'outgoing',
          state: 'ringing',
          peer: 'sip:carol@example.com',
          peerName: null,
        }),
      ),
    );
    render(ActiveCallView, { props: { calls, onclose: () => undefined } });

    expect(screen.getByRole('heading', { name: 'carol' })).toBeTruthy();
    expect(screen.getByText('Ringing…')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel call' }));
    expect(api.hangup).toHaveBeenCalledWith('call-out');
  });

  it('says how a call ended, in the core’s words when it never connected', async () => {
    const api = fakePhone();
    const calls = new CallsState(api);
    render(ActiveCallView, { props: { calls, onclose: () => undefined } });
    act(() =>
      api.emit(
        'callChanged',
        fixtures.call({
          direction: 'outgoing',
          state: 'ended',
          peer: 'sip:dave@example.com',
          peerName: null,
          endedAt: Date.now(),
          end: { status: 480, reason: 'dave is not online right now', by: 'network' },
        }),
      ),
    );
    expect((await screen.findByRole('status')).textContent).toBe('dave is not online right now');
    await fireEvent.click(screen.getByRole('button', { name: 'Call again' }));
    expect(api.dial).toHaveBeenCalledWith('sip:dave@example.com');
  });

  it('Escape hangs up the current call from anywhere in the phone', async () => {
    const api = fakePhone({
      listCalls: async () => [fixtures.call({ id: 'call-3', state: 'active', answeredAt: Date.now() })],
    });
    render(App, { props: { api } });
    expect(await screen.findByRole('button', { name: 'Hang up' })).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(api.hangup).toHaveBeenCalledWith('call-3');
  });
});

describe('the calls the phone knows', () => {
  it('takes a late view for what it is: an ended call does not come back, a call does not go back', () => {
    const api = fakePhone();
    const calls = new CallsState(api);
    const calling = fixtures.call({ id: 'call-3', direction: 'outgoing', state: 'calling' });
    api.emit('callChanged', { ...calling, state: 'ringing' });
    // The dial command's own result ("calling") arrives after the event that said "ringing".
    api.emit('callChanged', calling);
    expect(calls.live.map((c) => c.state)).toEqual(['ringing']);

    const ended = {
      ...calling,
      state: 'ended' as const,
      end: { status: 486, reason: 'Busy Here', by: 'remote' as const },
    };
    api.emit('callChanged', ended);
    api.emit('callChanged', calling);
    expect(calls.live).toEqual([]);
    expect(calls.ended).toMatchObject({ id: 'call-3', end: { status: 486 } });
  });
});
