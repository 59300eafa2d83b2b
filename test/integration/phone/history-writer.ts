// Writes calls and contacts into a phone database as fast as it can, until it is killed
// (phone-database.test.ts kills it with SIGKILL mid-write). Not a test file itself.
import { CallHistory } from '../../../src-main/phone/call-history.ts';
import { ContactBook } from '../../../src-main/phone/contact-book.ts';
import { PhoneDatabase } from '../../../src-main/phone/phone-database.ts';

const db = PhoneDatabase.open(process.argv[2]);
const history = new CallHistory(db);
const contacts = new ContactBook(db);
for (let i = 0; ; i++) {
  if (i % 200 === 0) process.stdout.write(`wrote ${i}\n`);
  history.add({
    id: `call-${i}`,
    direction: i % 2 ? 'incoming' : 'outgoing',
    peer: `sip:user${i}@example.com`,
    startedAt: i,
    answeredAt: i % 3 ? i + 1 : null,
    endedAt: i + 2,
    status: 200,
    reason: 'Call ended',
    missed: i % 3 === 0 && i % 2 === 1,
  });
  contacts.save({ name: `Person ${i}`, aor: `sip:user${i}@example.com` });
}
