import type { OverlayMessage } from '../overlay.ts';
import { BadChordMessageError } from './chord-errors.ts';
import type { StoredBinding } from './chord-messages.ts';
import { toPeer, type Peer } from './peer.ts';
import { isId } from './ring.ts';

/**
 * Reading the fields of a message from another node. The trust layer has verified who sent it,
 * not that its fields make sense: every handler reads through these and a bad field is a 400.
 */

const MAX_LIST = 256;
const MAX_TEXT = 1024;

type Source = Readonly<Record<string, unknown>>;

function bad(message: OverlayMessage | Source, why: string): BadChordMessageError {
  return new BadChordMessageError(String(message.kind ?? 'message'), why);
}

export function readId(message: OverlayMessage, field: string): string {
  const value = message[field];
  if (!isId(value)) throw bad(message, `${field} must be 40 lowercase hex digits`);
  return value;
}

export function readText(message: OverlayMessage | Source, field: string): string {
  const value = message[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    throw bad(message, `${field} must be a non-empty string`);
  }
  return value;
}

export function readNumber(message: OverlayMessage | Source, field: string): number {
  const value = message[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(message, `${field} must be a number`);
  return value;
}

function asPeer(message: OverlayMessage, field: string, value: unknown): Peer {
  if (typeof value !== 'object' || value === null) throw bad(message, `${field} must be {id, url}`);
  const { id, url } = value as Record<string, unknown>;
  if (!isId(id) || typeof url !== 'string' || url.length === 0 || url.length > MAX_TEXT) {
    throw bad(message, `${field} must be {id: 40 hex digits, url}`);
  }
  return toPeer({ id, url });
}

export function readNode(message: OverlayMessage, field: string): Peer {
  return asPeer(message, field, message[field]);
}

export function readOptionalNode(message: OverlayMessage, field: string): Peer | null {
  return message[field] === undefined || message[field] === null ? null : readNode(message, field);
}

export function readNodes(message: OverlayMessage, field: string): Peer[] {
  const value = message[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_LIST)
    throw bad(message, `${field} must be a list of nodes`);
  return value.map((entry, i) => asPeer(message, `${field}[${i}]`, entry));
}

function asBinding(message: OverlayMessage, field: string, value: unknown): StoredBinding {
  if (typeof value !== 'object' || value === null) throw bad(message, `${field} must be a binding`);
  const source = value as Source;
  const nodeId = source.nodeId;
  if (!isId(nodeId)) throw bad(message, `${field}.nodeId must be 40 lowercase hex digits`);
  return {
    aor: readText(source, 'aor'),
    contact: readText(source, 'contact'),
    nodeId,
    certificateFingerprint: readText(source, 'certificateFingerprint'),
    expiresAt: readNumber(source, 'expiresAt'),
    writtenAt: readNumber(source, 'writtenAt'),
  };
}

export function readBinding(message: OverlayMessage, field: string): StoredBinding {
  return asBinding(message, field, message[field]);
}

export function readBindings(message: OverlayMessage, field: string): StoredBinding[] {
  const value = message[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad(message, `${field} must be a list of bindings`);
  return value.map((entry, i) => asBinding(message, `${field}[${i}]`, entry));
}

/** The codec's node shape in the bootstrap messages: {nodeId, nodeUrl}. */
function asBootstrapNode(message: OverlayMessage, field: string, value: unknown): Peer {
  if (typeof value !== 'object' || value === null) throw bad(message, `${field} must be {nodeId, nodeUrl}`);
  const { nodeId, nodeUrl } = value as Record<string, unknown>;
  return asPeer(message, field, { id: nodeId, url: nodeUrl });
}

/** What a joining node takes from BootstrapOK. */
export interface BootstrapPlace {
  /** The answering node, which is the joining node's successor. */
  successor: Peer;
  predecessor: Peer | null;
  /** RefreshRate, in seconds. */
  refreshRate: number;
  /** The nodes of the finger table sent as a starting point. */
  fingers: Peer[];
}

export function readBootstrapOk(message: OverlayMessage): BootstrapPlace {
  const table = message.fingerTable ?? [];
  if (!Array.isArray(table) || table.length > 160)
    throw bad(message, 'fingerTable must be a list of fingers');
  return {
    successor: asBootstrapNode(message, 'successor', message.successor),
    predecessor:
      message.predecessor === undefined ? null : asBootstrapNode(message, 'predecessor', message.predecessor),
    refreshRate: readNumber(message, 'refreshRate'),
    fingers: table.map((finger, i) => asBootstrapNode(message, `fingerTable[${i}]`, finger)),
  };
}
