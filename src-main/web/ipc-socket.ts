import type { WebSocket } from 'ws';
import { EVENT_NAMES } from '../ipc/contract.ts';
import type { CommandName, PhoneError, PhoneService } from '../ipc/contract.ts';
import { PHONE_ERROR_CODES, toPhoneError } from '../ipc/phone-error.ts';
import { checkCommandName } from '../ipc/validate.ts';

/** Requests one page may have in flight: far above what a person clicks, far below a flood. */
const MAX_IN_FLIGHT = 32;
/** A page that stops reading its events is dropped rather than buffered forever. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const MAX_ID_LENGTH = 64;

/**
 * The core's side of the WebSocket carrier (the UI's side is ipc/ws-client.ts): one connected
 * page. Request frames `{ id, command, arg }` are answered `{ id, result }` or
 * `{ id, error: PhoneError }`; every event of the core goes out as `{ event, payload }`, and a
 * new page first gets `appChanged` so that it starts from the truth.
 *
 * A malformed frame gets a PhoneError answer (with the id, when there was one) and the page
 * stays connected; a binary frame closes it (1003), as nothing in the contract is binary.
 */
export function serveIpc(socket: WebSocket, phone: PhoneService): void {
  let inFlight = 0;
  // The core checks every argument itself (validate.ts); from here on they are unknown values.
  const invoke = phone.invoke.bind(phone) as (name: CommandName, ...args: unknown[]) => Promise<unknown>;
  const send = (frame: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'the page is not reading its events');
      return;
    }
    socket.send(JSON.stringify(frame));
  };
  const unsubscribe = EVENT_NAMES.map((event) => phone.on(event, (payload) => send({ event, payload })));
  socket.on('close', () => unsubscribe.forEach((off) => off()));
  // A frame over the size limit, a broken connection: ws closes the socket itself and says why here.
  socket.on('error', () => undefined);

  phone.invoke('appStatus').then(
    (status) => send({ event: 'appChanged', payload: status }),
    () => undefined,
  );

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'the phone speaks JSON text frames only');
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return send({ id: null, error: refusal('The phone received a frame that is not JSON') });
    }
    const request = frame as { id?: unknown; command?: unknown; arg?: unknown };
    const id = typeof frame === 'object' && frame !== null ? request.id : undefined;
    if (!validId(id)) {
      return send({ id: null, error: refusal('A request needs an id (a number, or a short text)') });
    }
    let command: CommandName;
    try {
      command = checkCommandName(request.command);
    } catch (error) {
      return send({ id, error: toPhoneError(error) });
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      return send({
        id,
        error: {
          name: 'PhoneError',
          code: PHONE_ERROR_CODES.busy,
          message: 'Too many requests at once: wait for the answers',
        },
      });
    }
    inFlight++;
    invoke(command, ...(request.arg === undefined ? [] : [request.arg]))
      .then(
        (result) => send({ id, result }),
        (error: unknown) => send({ id, error: toPhoneError(error) }),
      )
      .finally(() => inFlight--);
  });
}

function validId(id: unknown): id is number | string {
  return (
    (typeof id === 'number' && Number.isSafeInteger(id)) ||
    (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH)
  );
}

function refusal(message: string): PhoneError {
  return { name: 'PhoneError', code: PHONE_ERROR_CODES.invalidInput, message };
}
