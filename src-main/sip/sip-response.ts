import type { IncomingResponseMessage } from 'sip.js/lib/core/index.js';
import { IncomingView } from './incoming-view.ts';
import type { Endpoint } from './udp-transport.ts';

/** A response this node received, as the layers above see it (no sip.js types leak out). */
export class SipResponse extends IncomingView<IncomingResponseMessage> {
  constructor(
    message: IncomingResponseMessage,
    readonly source: Endpoint,
  ) {
    super(message);
  }

  get status(): number {
    return this.message.statusCode ?? 0;
  }

  get reason(): string {
    return this.message.reasonPhrase ?? '';
  }

  get method(): string {
    return this.message.method;
  }

  headers(name: string): string[] {
    return this.message.getHeaders(name);
  }

  /** The raw message as a byte string. */
  get text(): string {
    return this.message.data;
  }
}
