import type { IncomingMessage } from 'sip.js/lib/core/index.js';

/**
 * What requests and responses that reached this node have in common, read from sip.js's parse:
 * the dialog identifiers, header values and the body. Layers above `sip/` see SIP only through
 * its two subclasses, SipRequest and SipResponse.
 */
export abstract class IncomingView<M extends IncomingMessage> {
  constructor(protected readonly message: M) {}

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

  /** The media type of the body, lower case, without parameters. */
  get contentType(): string | undefined {
    return this.message.getHeader('content-type')?.split(';')[0].trim().toLowerCase();
  }

  /** The body decoded as UTF-8 (the transport keeps bytes as latin1 so lengths are exact). */
  get body(): string {
    return Buffer.from(this.message.body ?? '', 'latin1').toString('utf8');
  }
}
