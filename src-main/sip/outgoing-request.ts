import type { RawMessage } from './raw-message.ts';

/**
 * A request on its way out, in the shape sip.js's client transactions use (method, ruri,
 * callId, cseq, branch, getHeader, setViaHeader, toString). sip.js's own OutgoingRequestMessage
 * can only hold one Via, so it cannot carry a request that a proxy forwards; this one sits on a
 * RawMessage and pushes its Via above the ones already there.
 */
export class OutgoingRequest {
  branch: string | undefined;
  private viaPushed = false;

  constructor(
    readonly raw: RawMessage,
    /** host:port this node writes in its Via sent-by. */
    private readonly sentBy: string,
  ) {}

  get method(): string {
    return this.raw.startLine.split(' ')[0];
  }

  get ruri(): string {
    return this.raw.startLine.split(' ')[1];
  }

  get callId(): string {
    return this.raw.first('call-id') ?? '';
  }

  get cseq(): number {
    return Number((this.raw.first('cseq') ?? '0').trim().split(/\s+/)[0]);
  }

  getHeader(name: string): string | undefined {
    return this.raw.topValue(name);
  }

  /** Called once by sip.js's ClientTransaction with the branch it chose. */
  setViaHeader(branch: string, protocol: string): void {
    const via = `SIP/2.0/${protocol} ${this.sentBy};branch=${branch};rport`;
    if (this.viaPushed) {
      this.raw.removeTopValue('via');
    }
    this.raw.prepend('Via', via);
    this.viaPushed = true;
    this.branch = branch;
  }

  toString(): string {
    return this.raw.toString();
  }
}
