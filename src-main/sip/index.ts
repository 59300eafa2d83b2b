/**
 * The SIP layer: the only folder that imports sip.js. Layers above speak SIP through
 * SipStack, SipRequest and SipResponse.
 */
export { SipStack, RequestTimeoutError, TransportFailureError } from './sip-stack.ts';
export type { SipStackOptions, RequestSpec, RequestHandler, AckHandler, SipStackStats } from './sip-stack.ts';
export { SipRequest } from './sip-request.ts';
export type { ContactValue } from './sip-request.ts';
export { SipResponse } from './sip-response.ts';
export { newTag } from './response-builder.ts';
export { MAGIC_COOKIE } from './via.ts';
export { configureTimers, currentTimers, RFC3261_TIMERS } from './timers.ts';
export type { TimerSettings } from './timers.ts';
export { streamTracer } from './trace.ts';
export type { TraceEvent, Tracer } from './trace.ts';
export { PortInUseError, BindError } from './udp-transport.ts';
export type { Endpoint } from './udp-transport.ts';
export { uriEndpoint, requestDestination, nameAddrUri, UnroutableError } from './next-hop.ts';
export { OutgoingRequest } from './outgoing-request.ts';
export { Proxy } from './proxy.ts';
export type { ProxyTarget, ProxyOptions, ProxyOutcome } from './proxy.ts';
export { Registrar, MemoryBindingStore, canonicalAor } from './registrar.ts';
export type { Binding, BindingStore, RegistrarOptions, RegistrarResult } from './registrar.ts';
export { requestParts, responseParts, partsOfText, plannedResponseParts } from './message-parts.ts';
export type { MessageParts } from './message-parts.ts';
export { checkAsUas } from './uas-checks.ts';
export type { UasCapabilities } from './uas-checks.ts';
export type { Refusal } from './refusal.ts';
export {
  buildMultipart,
  findPart,
  multipartBoundary,
  multipartContentType,
  newBoundary,
  parseMultipart,
  MultipartError,
} from './multipart.ts';
export type { BodyPart } from './multipart.ts';
export { cancelFor } from './cancel-request.ts';
