import type { IncomingResponseMessage } from 'sip.js/lib/core/index.js';
import type { Endpoint } from './udp-transport.ts';

/** A response this node received, as the layers above see it (no sip.js types leak out). */
export class SipResponse {
  constructor(
    private readonly message: IncomingResponseMessage,
    readonly source: Endpoint,
  ) {}

  get status(): number {
    return this.message.statusCode ?? 0;
  }

  get reason(): string {
    return this.message.reasonPhrase ?? '';
  }

  get method(): string {
    return this.message.method;
  }

  get callId(): string {
    return this.message.callId;
  }

  get cseq(): number {
    return this.message.cseq;
  }

  get fromUri(): string {
    return this.message.from?.uri.toString() ?? '';
  }

  get fromTag(): string {
    return this.message.fromTag ?? '';
  }

  get toUri(): string {
    return this.message.to?.uri.toString() ?? '';
  }

  get toTag(): string | undefined {
    return this.message.toTag || undefined;
  }

  header(name: string): string | undefined {
    return this.message.getHeader(name);
  }

  headers(name: string): string[] {
    return this.message.getHeaders(name);
  }

  get contentType(): string | undefined {
    return this.message.getHeader('content-type')?.split(';')[0].trim().toLowerCase();
  }

  /** The body decoded as UTF-8. */
  get body(): string {
    return Buffer.from(this.message.body ?? '', 'latin1').toString('utf8');
  }

  /** The raw message as a byte string. */
  get text(): string {
    return this.message.data;
  }
}
