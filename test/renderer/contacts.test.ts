import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { CallsState } from '../../src-renderer/state/calls.svelte.ts';
import { ContactsState } from '../../src-renderer/state/contacts.svelte.ts';
import ContactsView from '../../src-renderer/views/ContactsView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

const bob = fixtures.contact();
const carol = fixtures.contact({
  id: 'c-carol',
  name: 'Carol Diaz',
  aor: 'sip:carol@example.com',
  online: false,
});

async function contactsScreen(api = fakePhone({ listContacts: async () => [bob, carol] })) {
  const contacts = new ContactsState(api);
  const calls = new CallsState(api);
  await contacts.load();
  render(ContactsView, { props: { contacts, calls, domain: 'example.com' } });
  return { api, contacts, calls };
}

function row(name: string) {
  return screen.getByRole('listitem', { name });
}

describe('contacts', () => {
  it('lists each contact with whether the overlay sees them online', async () => {
    await contactsScreen();
    expect(within(row('Bob Martin')).getByText('Online')).toBeTruthy();
    expect(within(row('Carol Diaz')).getByText('Offline')).toBeTruthy();
    expect(screen.getByText('2 people, 1 online')).toBeTruthy();
  });

  it('adds a contact, completing a bare user name with this network’s domain', async () => {
    const { api } = await contactsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Add contact' }));
    const form = screen.getByRole('form', { name: 'New contact' });
    await fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Dave Okafor' } });
    await fireEvent.input(within(form).getByLabelText('Address'), { target: { value: 'dave' } });
    await fireEvent.submit(form);

    expect(api.saveContact).toHaveBeenCalledWith({ name: 'Dave Okafor', aor: 'sip:dave@example.com' });
    expect(await screen.findByRole('listitem', { name: 'Dave Okafor' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'New contact' })).toBeNull();
  });

  it('refuses an address that is not sip:user@domain, and says what one looks like', async () => {
    const { api } = await contactsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Add contact' }));
    const form = screen.getByRole('form', { name: 'New contact' });
    await fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Someone' } });
    await fireEvent.input(within(form).getByLabelText('Address'), { target: { value: 'sip:who@' } });
    await fireEvent.submit(form);

    expect(within(form).getByText(/Enter an address such as sip:bob@example.com/)).toBeTruthy();
    expect(within(form).getByLabelText('Address').getAttribute('aria-invalid')).toBe('true');
    expect(api.saveContact).not.toHaveBeenCalled();
  });

  it('edits a contact in place', async () => {
    const { api } = await contactsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Edit Bob Martin' }));
    const form = screen.getByRole('form', { name: 'Edit Bob Martin' });
    expect((within(form).getByLabelText('Address') as HTMLInputElement).value).toBe('sip:bob@example.com');
    await fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Robert Martin' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    expect(api.saveContact).toHaveBeenCalledWith({
      id: 'c-bob',
      name: 'Robert Martin',
      aor: 'sip:bob@example.com',
    });
    expect(await screen.findByRole('listitem', { name: 'Robert Martin' })).toBeTruthy();
  });

  it('Escape leaves the edit form without saving', async () => {
    const { api } = await contactsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Edit Bob Martin' }));
    await fireEvent.keyDown(screen.getByLabelText('Name'), { key: 'Escape' });
    expect(screen.queryByRole('form')).toBeNull();
    expect(api.saveContact).not.toHaveBeenCalled();
  });

  it('removes a contact after a second look', async () => {
    const { api } = await contactsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove Carol Diaz' }));
    expect(api.removeContact).not.toHaveBeenCalled();
    await fireEvent.click(within(row('Carol Diaz')).getByRole('button', { name: 'Remove' }));

    expect(api.removeContact).toHaveBeenCalledWith('c-carol');
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Carol Diaz' })).toBeNull());
  });

  it('shows the core’s refusal when a contact cannot be saved', async () => {
    const duplicate = {
      name: 'PhoneError',
      code: 'duplicate-contact',
      message: 'Bob Martin already has that address.',
    };
    await contactsScreen(
      fakePhone({ listContacts: async () => [bob], saveContact: async () => Promise.reject(duplicate) }),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Add contact' }));
    const form = screen.getByRole('form', { name: 'New contact' });
    await fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Bobby' } });
    await fireEvent.input(within(form).getByLabelText('Address'), {
      target: { value: 'sip:bob@example.com' },
    });
    await fireEvent.submit(form);

    expect((await within(form).findByRole('alert')).textContent).toContain(
      'Bob Martin already has that address.',
    );
  });

  it('calls a contact from the list', async () => {
    const { api } = await contactsScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Call Bob Martin' }));
    expect(api.dial).toHaveBeenCalledWith('sip:bob@example.com');
  });

  it('follows presence as the core reports it', async () => {
    const { api } = await contactsScreen();
    api.emit('contactsChanged', [{ ...carol, online: true }, bob]);
    await waitFor(() => expect(within(row('Carol Diaz')).getByText('Online')).toBeTruthy());
  });
});
