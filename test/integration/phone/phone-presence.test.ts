import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneCore } from '../../../src-main/phone/phone-core.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { nextEvent } from './phone-events.ts';
import { openPhone, twoPhones } from './two-phones.ts';

const ALICE = 'sip:alice@example.com';

/**
 * Presence as the UI sees it: Bob's contact list follows Alice's phone going away and coming back,
 * pushed to him by the presence layer (contactsChanged), not found by asking the ring.
 */
describe('the phone core: a contact’s online dot is pushed', () => {
  const dirs = tempDirs();
  const aliceDir = dirs.make('chordline-presence-alice-');
  let alice: PhoneCore;
  let bob: PhoneCore;

  beforeAll(async () => {
    ({ alice, bob } = await twoPhones(aliceDir, dirs.make('chordline-presence-bob-')));
  }, 60_000);

  afterAll(async () => {
    await bob?.stop();
    await alice?.stop();
    dirs.cleanup();
  });

  const aliceIs = (online: boolean | null) => (list: Array<{ aor: string; online: boolean | null }>) =>
    list.some((c) => c.aor === ALICE && c.online === online);

  it('Bob adds Alice: she is online; her phone stops: offline; it comes back: online again', async () => {
    const online = nextEvent(bob, 'contactsChanged', aliceIs(true), 30_000);
    await bob.invoke('saveContact', { name: 'Alice', aor: ALICE });
    await online;

    const offline = nextEvent(bob, 'contactsChanged', aliceIs(false), 30_000);
    await alice.stop();
    await offline;
    expect((await bob.invoke('listContacts'))[0]).toMatchObject({ aor: ALICE, online: false });

    const back = nextEvent(bob, 'contactsChanged', aliceIs(true), 30_000);
    alice = await openPhone(aliceDir);
    expect((await alice.whenSettled()).phase).toBe('ready');
    await back;
  }, 90_000);
});
