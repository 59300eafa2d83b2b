import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../src-main/ipc/contract.ts';
import { isPhoneError, toPhoneError } from '../../../src-main/ipc/phone-error.ts';
import {
  checkAor,
  checkDialTarget,
  checkLoginServer,
  COMMAND_CHECKS,
  validateCommand,
} from '../../../src-main/ipc/validate.ts';

/** The message a person would read, or undefined when the input passes. */
function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toMatchObject({ name: 'PhoneError', code: 'invalid-input' });
    return (error as Error).message;
  }
}

describe('every argument the UI sends is checked before the core runs anything', () => {
  it('has a check for every command of the contract', () => {
    expect(Object.keys(COMMAND_CHECKS).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('writes an address of record one way, and says how to write one that is not', () => {
    expect(checkAor('alice@Example.COM')).toBe('sip:alice@example.com');
    expect(checkAor(' <sip:Alice@example.com> ')).toBe('sip:Alice@example.com');
    expect(checkAor('SIPS:bob@a.example.org')).toBe('sip:bob@a.example.org');
    expect(refusal(() => checkAor('bob'))).toMatch(
      /has no user and domain: type it as sip:alice@example\.com/,
    );
    expect(refusal(() => checkAor('sip:bob@example.com:5060'))).toMatch(/port or parameters/);
    expect(refusal(() => checkAor('sip:bob@example.com;transport=udp'))).toMatch(/port or parameters/);
    expect(refusal(() => checkAor('sip:b b@example.com'))).toMatch(/cannot contain " "/);
    expect(refusal(() => checkAor('sip:bob@-example.com'))).toMatch(/is not a host name/);
    expect(refusal(() => checkAor('sip:bob@example.123'))).toMatch(/is not a host name/);
    expect(refusal(() => checkAor(42))).toMatch(/is missing/);
    expect(refusal(() => checkAor('sip:bob\u0000@example.com'))).toMatch(/control character/);
  });

  it('takes a login server address as people type it', () => {
    expect(checkLoginServer('sip:ls@127.0.0.1:5070')).toBe('sip:ls@127.0.0.1:5070');
    expect(checkLoginServer('192.168.1.10')).toBe('sip:ls@192.168.1.10:5060');
    expect(checkLoginServer('LS.Example.com:5080')).toBe('sip:ls@ls.example.com:5080');
    expect(checkLoginServer('sip:[::1]:5060')).toBe('sip:ls@[::1]:5060');
    expect(refusal(() => checkLoginServer('http://example.com/'))).toMatch(/sip:ls@HOST:PORT/);
    expect(refusal(() => checkLoginServer('example.com:70000'))).toMatch(/port must be 1 to 65535/);
  });

  it('dials a whole address or a number (the core adds the domain)', () => {
    expect(checkDialTarget('1234')).toBe('1234');
    expect(checkDialTarget('bob@example.com')).toBe('sip:bob@example.com');
    expect(refusal(() => checkDialTarget(''))).toMatch(/is empty/);
  });

  it('refuses a misspelt field, a missing one, and an argument where none belongs', () => {
    expect(refusal(() => validateCommand('saveContact', [{ name: 'A', aor: 'a@b.c', adress: 'x' }]))).toMatch(
      /field the phone does not know: adress/,
    );
    expect(refusal(() => validateCommand('createNetwork', [{ domain: 'example.com', user: 'al' }]))).toMatch(
      /Type a password/,
    );
    expect(refusal(() => validateCommand('listContacts', [{}]))).toMatch(/takes no argument/);
    expect(validateCommand('listContacts', [])).toEqual([]);
    expect(validateCommand('listContacts', [null])).toEqual([]);
  });

  it('joins with the user name alone, or with a whole address; a fingerprint may have colons', () => {
    const [input] = validateCommand('joinNetwork', [
      {
        loginServer: '10.0.0.1',
        user: 'bob@example.com',
        password: 'pw',
        caFingerprint: 'AB:'.repeat(31) + 'AB',
      },
    ]);
    expect(input).toEqual({
      loginServer: 'sip:ls@10.0.0.1:5060',
      user: 'bob@example.com',
      password: 'pw',
      caFingerprint: 'ab'.repeat(32),
    });
    expect(
      refusal(() =>
        validateCommand('joinNetwork', [
          { loginServer: 'x.org', user: 'b', password: 'p', caFingerprint: 'abc' },
        ]),
      ),
    ).toMatch(/64 hexadecimal digits/);
  });

  it('checks settings one by one, and only the ones that exist', () => {
    expect(validateCommand('saveSettings', [{ refreshSeconds: 5, theme: 'dark' }])).toEqual([
      { refreshSeconds: 5, theme: 'dark' },
    ]);
    expect(refusal(() => validateCommand('saveSettings', [{ refreshSeconds: 0 }]))).toMatch(/from 1 to 3600/);
    expect(refusal(() => validateCommand('saveSettings', [{ sipPort: 5060.5 }]))).toMatch(/whole number/);
    expect(refusal(() => validateCommand('saveSettings', [{ ringtone: 'loud' }]))).toMatch(
      /classic, soft, none/,
    );
    expect(refusal(() => validateCommand('saveSettings', [{ volume: 3 }]))).toMatch(/does not know: volume/);
  });

  it("carries the UI's session descriptions, as SDP and nothing else", () => {
    const offer = 'v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=sendrecv\n';
    // Lines end in CRLF on the wire, whatever the browser wrote.
    expect(validateCommand('dial', [{ aor: 'bob@example.com', sdp: offer }])).toEqual([
      { aor: 'sip:bob@example.com', sdp: offer.replaceAll('\n', '\r\n') },
    ]);
    expect(validateCommand('dial', ['bob'])).toEqual([{ aor: 'bob' }]);
    expect(validateCommand('answer', ['call-1'])).toEqual([{ callId: 'call-1' }]);
    expect(refusal(() => validateCommand('answer', [{ callId: 'c', sdp: 'hello' }]))).toMatch(
      /not a session description/,
    );
    expect(refusal(() => validateCommand('updateMedia', [{ callId: 'c', sdp: `${offer}x\n` }]))).toMatch(
      /every SDP line/,
    );
    expect(
      refusal(() => validateCommand('updateMedia', [{ callId: 'c', sdp: `${offer}a=x\u0000\n` }])),
    ).toMatch(/not a session description/);
    expect(refusal(() => validateCommand('updateMedia', [{ callId: 'c' }]))).toMatch(/SDP\) is missing/);
    expect(
      refusal(() => validateCommand('dial', [{ aor: 'bob', sdp: `v=0\n${'a=x\n'.repeat(5000)}` }])),
    ).toMatch(/longer than 16384/);
    expect(validateCommand('answerMedia', [{ offerId: 'o-1' }])).toEqual([{ offerId: 'o-1' }]);
  });

  it('takes STUN and TURN servers as RTCIceServer does, and says what a TURN server lacks', () => {
    expect(
      validateCommand('saveSettings', [
        {
          iceServers: [
            { urls: 'stun:stun.example.com:3478' },
            { urls: 'turn:turn.example.com?transport=tcp', username: 'u', credential: 'p' },
          ],
          microphoneId: 'default',
          speakerId: '',
        },
      ]),
    ).toEqual([
      {
        iceServers: [
          { urls: 'stun:stun.example.com:3478' },
          { urls: 'turn:turn.example.com?transport=tcp', username: 'u', credential: 'p' },
        ],
        microphoneId: 'default',
        speakerId: '',
      },
    ]);
    expect(refusal(() => validateCommand('saveSettings', [{ iceServers: [{ urls: 'http://x' }] }]))).toMatch(
      /not a STUN or TURN address/,
    );
    expect(
      refusal(() => validateCommand('saveSettings', [{ iceServers: [{ urls: 'turn:t.example' }] }])),
    ).toMatch(/needs a user name and a password/);
    expect(refusal(() => validateCommand('saveSettings', [{ iceServers: 'stun:x' }]))).toMatch(
      /must be a list/,
    );
  });

  it('takes a PKCS#12 file as base64 only, of a sensible size', () => {
    expect(validateCommand('importPkcs12', [{ base64: 'TUlJ\nQQ==', password: '' }])).toEqual([
      { base64: 'TUlJQQ==', password: '' },
    ]);
    expect(refusal(() => validateCommand('importPkcs12', [{ base64: 'not base64!', password: '' }]))).toMatch(
      /did not arrive as base64/,
    );
    expect(
      refusal(() => validateCommand('importPkcs12', [{ base64: 'A'.repeat(1_000_004), password: '' }])),
    ).toMatch(/far too large/);
  });

  it('names an unknown command as a version mismatch, not a crash', () => {
    for (const name of ['rm -rf', 7n, {}, undefined]) {
      expect(() => validateCommand(name as never, [])).toThrow(
        expect.objectContaining({ code: 'unknown-command' }),
      );
    }
  });

  it('no input makes a check throw anything but a PhoneError', () => {
    const inputs: unknown[] = [
      undefined,
      null,
      0,
      -1,
      NaN,
      '',
      ' ',
      'x'.repeat(5000),
      [],
      [1, 2],
      {},
      { id: 1 },
      { name: 1, aor: [] },
      Object.create(null),
      { toString: 'boom' },
      true,
      10n,
      Symbol('s'),
    ];
    for (const name of COMMAND_NAMES) {
      for (const [i, input] of inputs.entries()) {
        try {
          validateCommand(name, [input]);
        } catch (error) {
          expect(isPhoneError(error), `${name}(input #${i}) threw ${String(error)}`).toBe(true);
        }
      }
    }
  });

  it('turns anything thrown into a PhoneError for the wire, keeping the message of a PhoneError', () => {
    expect(toPhoneError(new TypeError('x is undefined\n  at y'))).toEqual({
      name: 'PhoneError',
      code: 'internal',
      message: 'Something went wrong inside the phone: x is undefined',
    });
    expect(toPhoneError({ name: 'PhoneError', code: 'busy', message: 'wait', extra: 1 })).toEqual({
      name: 'PhoneError',
      code: 'busy',
      message: 'wait',
    });
  });
});
