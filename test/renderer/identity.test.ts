import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdentityState } from '../../src-renderer/state/identity.svelte.ts';
import IdentityView from '../../src-renderer/views/IdentityView.svelte';
import { fakePhone } from './fake-phone.ts';
import * as fixtures from './fixtures.ts';

/** What the download link was asked to save. */
let downloads: Array<{ name: string; blob: Blob }> = [];

beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  vi.stubGlobal(
    'URL',
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        const url = `blob:test/${n++}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: () => undefined,
    }),
  );
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function identityScreen(api = fakePhone()) {
  const identity = new IdentityState(api);
  await identity.load();
  render(IdentityView, { props: { identity } });
  return { api, identity };
}

describe('the identity view', () => {
  it('shows the certificate’s details', async () => {
    await identityScreen();
    const id = fixtures.identity();
    expect(screen.getByRole('heading', { name: id.aor })).toBeTruthy();
    expect(screen.getAllByText(id.issuer).length).toBeGreaterThan(0);
    expect(screen.getByTitle(id.nodeId)).toBeTruthy();
    expect(screen.getByText(id.serial)).toBeTruthy();
    expect(screen.getByText(/^AB:AB:AB/)).toBeTruthy();
    expect(screen.getByText('Valid')).toBeTruthy();
  });

  it('exports a password-protected PKCS#12 and saves the file the core made', async () => {
    const { api } = await identityScreen();
    await fireEvent.input(
      screen.getByLabelText('File password', { selector: '[autocomplete="new-password"]' }),
      {
        target: { value: 'tr0ub4dor' },
      },
    );
    await fireEvent.input(screen.getByLabelText('Repeat password'), { target: { value: 'tr0ub4dor' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export PKCS#12' }));

    expect(api.exportPkcs12).toHaveBeenCalledWith({ password: 'tr0ub4dor' });
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(['alice.p12']));
    expect(downloads[0]?.blob.type).toBe('application/x-pkcs12');
    expect((await screen.findByRole('status')).textContent).toContain('Saved alice.p12');
  });

  it('will not export a PKCS#12 without a password', async () => {
    const { api } = await identityScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Export PKCS#12' }));
    expect(screen.getByText(/Choose a password/)).toBeTruthy();
    expect(api.exportPkcs12).not.toHaveBeenCalled();
  });

  it('exports the certificate as PEM', async () => {
    const { api } = await identityScreen();
    await fireEvent.click(screen.getByRole('button', { name: 'Export certificate (PEM)' }));
    expect(api.exportPem).toHaveBeenCalledOnce();
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(['alice.pem']));
  });

  it('imports a PKCS#12 file, sending its bytes as base64', async () => {
    const { api } = await identityScreen(
      fakePhone({ importPkcs12: async () => fixtures.identity({ aor: 'sip:alice@example.org' }) }),
    );
    const file = new File([new Uint8Array([0x30, 0x82, 0x01, 0xff])], 'alice.p12', {
      type: 'application/x-pkcs12',
    });
    const input = screen.getByLabelText('PKCS#12 file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file] });
    await fireEvent.change(input);
    await fireEvent.input(screen.getByLabelText('File password', { selector: '[autocomplete="off"]' }), {
      target: { value: 'pw' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Import PKCS#12' }));

    await waitFor(() =>
      expect(api.importPkcs12).toHaveBeenCalledWith({ base64: 'MIIB/w==', password: 'pw' }),
    );
    expect((await screen.findByRole('status')).textContent).toContain(
      'Imported the identity of sip:alice@example.org',
    );
  });

  it('shows the core’s words when the file’s password is wrong', async () => {
    const wrong = {
      name: 'PhoneError',
      code: 'wrong-password',
      message: 'Wrong password for this PKCS#12 file.',
    };
    await identityScreen(fakePhone({ importPkcs12: async () => Promise.reject(wrong) }));
    const input = screen.getByLabelText('PKCS#12 file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['x'], 'a.p12')] });
    await fireEvent.change(input);
    await fireEvent.click(screen.getByRole('button', { name: 'Import PKCS#12' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Wrong password for this PKCS#12 file.');
  });
});
