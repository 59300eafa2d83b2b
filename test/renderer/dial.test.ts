import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { CallsState } from '../../src-renderer/state/calls.svelte.ts';
import { ContactsState } from '../../src-renderer/state/contacts.svelte.ts';
import { NavigationState } from '../../src-renderer/state/navigation.svelte.ts';
import DialView from '../../src-renderer/views/DialView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

async function dialScreen(api = fakePhone({ listContacts: async () => [fixtures.contact()] })) {
  const calls = new CallsState(api);
  const contacts = new ContactsState(api);
  const navigation = new NavigationState();
  await contacts.load();
  navigation.go('dial');
  render(DialView, { props: { calls, contacts, navigation, domain: 'example.com' } });
  return { api, calls, navigation, field: screen.getByLabelText('Address to call') as HTMLInputElement };
}

describe('the dial pad', () => {
  it('opens with the address field focused', async () => {
    const { field } = await dialScreen();
    await waitFor(() => expect(document.activeElement).toBe(field));
  });

  it('types with its keys, and the Call button calls the number in this network', async () => {
    const { api, field } = await dialScreen();
    for (const key of ['1', '0', '0', '2']) await fireEvent.click(screen.getByRole('button', { name: key }));
    expect(field.value).toBe('1002');
    expect(screen.getByText('sip:1002@example.com')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Call' }));
    expect(api.dial).toHaveBeenCalledWith('sip:1002@example.com');
  });

  it('Enter in the address field calls, and names the contact it will reach', async () => {
    const { api, field } = await dialScreen();
    await fireEvent.input(field, { target: { value: 'bob@example.com' } });
    expect(screen.getByText(/Calls Bob Martin/)).toBeTruthy();
    await fireEvent.submit(field.form!);
    expect(api.dial).toHaveBeenCalledWith('sip:bob@example.com');
    await waitFor(() => expect(field.value).toBe(''));
  });

  it('says what is wrong with an address instead of calling it', async () => {
    const { api, field } = await dialScreen();
    await fireEvent.input(field, { target: { value: 'bob smith' } });
    await fireEvent.submit(field.form!);
    expect(screen.getByText(/is not an address/)).toBeTruthy();
    expect(api.dial).not.toHaveBeenCalled();
  });

  it('shows the core’s refusal when the call cannot be placed', async () => {
    const notFound = {
      name: 'PhoneError',
      code: 'no-such-user',
      message: 'Nobody is registered as sip:zed@example.com.',
    };
    const { field } = await dialScreen(fakePhone({ dial: async () => Promise.reject(notFound) }));
    await fireEvent.input(field, { target: { value: 'zed' } });
    await fireEvent.submit(field.form!);
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Nobody is registered as sip:zed@example.com.',
    );
  });

  it('takes a draft from elsewhere (a call back) into the field', async () => {
    const { navigation, field } = await dialScreen();
    navigation.dialWith('sip:carol@example.com');
    await waitFor(() => expect(field.value).toBe('sip:carol@example.com'));
  });
});
