import type {
  AppStatus,
  CallView,
  Contact,
  HistoryEntry,
  IdentityView,
  LayerView,
  NetworkView,
  RingView,
  Settings,
} from '../../src-main/ipc/contract.ts';

/** Alice's phone, on the example.com network she created. */
export function identity(overrides: Partial<IdentityView> = {}): IdentityView {
  return {
    aor: 'sip:alice@example.com',
    nodeId: '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c',
    serial: '01af',
    issuer: 'Chordline CA example.com',
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2035-01-01T00:00:00.000Z',
    fingerprint: 'ab'.repeat(32),
    ...overrides,
  };
}

export function status(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    phase: 'ready',
    problem: null,
    mode: 'browser',
    dataDir: '/home/alice/.chordline',
    identity: identity(),
    network: {
      loginServer: 'sip:ls@127.0.0.1:5060',
      domain: 'example.com',
      hosted: true,
      address: 'sip:127.0.0.1:5070',
      caFingerprint: 'c0ffee'.repeat(10) + 'c0de',
      echoTest: 'sip:echo@example.com',
      layers: layers(),
      lastSwitch: null,
      operator: true,
    },
    ...overrides,
  };
}

/** Alice's network view, as her phone (the operator's) sends it in networkChanged. */
export function network(overrides: Partial<NetworkView> = {}): NetworkView {
  return { ...status().network!, ...overrides };
}

/** Her layers, all well, the identity layer on chord; `identity` changes that row. */
export function layers(identity: Partial<LayerView> = {}): LayerView[] {
  return [
    {
      layer: 'trust',
      algorithm: 'login-server',
      health: 'ok',
      detail: 'Login server hosted here; certificate valid until 2035-01-01, revocation list 2',
      epoch: 0,
      phase: 'steady',
      switchTo: [],
    },
    {
      layer: 'identity',
      algorithm: 'chord',
      health: 'ok',
      detail: '4 other peers known, successor 5b0c7d2e…',
      epoch: 0,
      phase: 'steady',
      switchTo: ['onehop'],
      ...identity,
    },
    {
      layer: 'presence',
      algorithm: 'chord',
      health: 'ok',
      detail: '4 other peers known, successor 5b0c7d2e…; watching 2 contacts',
      epoch: 0,
      phase: 'steady',
      switchTo: [],
    },
  ];
}

export function welcome(): AppStatus {
  return status({ phase: 'welcome', identity: null, network: null });
}

export function contact(overrides: Partial<Contact> = {}): Contact {
  return { id: 'c-bob', name: 'Bob Martin', aor: 'sip:bob@example.com', online: true, ...overrides };
}

export function call(overrides: Partial<CallView> = {}): CallView {
  return {
    id: 'call-1',
    direction: 'incoming',
    state: 'ringing',
    peer: 'sip:bob@example.com',
    peerName: 'Bob Martin',
    hops: 2,
    startedAt: Date.now(),
    answeredAt: null,
    endedAt: null,
    end: null,
    remoteSdp: null,
    hold: 'none',
    ...overrides,
  };
}

export function historyEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  const startedAt = Date.now() - 3_600_000;
  return {
    id: 'h-1',
    direction: 'outgoing',
    peer: 'sip:bob@example.com',
    peerName: 'Bob Martin',
    startedAt,
    answeredAt: startedAt + 4_000,
    endedAt: startedAt + 130_000,
    status: 200,
    reason: 'OK',
    missed: false,
    ...overrides,
  };
}

export const SETTINGS: Settings = {
  sipPort: 0,
  ringtone: 'classic',
  startMinimised: false,
  refreshSeconds: 5,
  theme: 'system',
  microphoneId: '',
  speakerId: '',
  iceServers: [],
};

/** A ring of five seen from Alice's node: two successors, fingers on three distinct nodes. */
export function ring(overrides: Partial<RingView> = {}): RingView {
  const node = (id: string, port: number) => ({ id, url: `sip:127.0.0.1:${port}` });
  const self = node('3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c', 5070);
  const bob = node('5b0c7d2e9f1a3b4c5d6e7f8091a2b3c4d5e6f708', 5071);
  const carol = node('8e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b', 5072);
  const dave = node('c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7', 5073);
  const erin = node('1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d', 5074);
  return {
    self,
    predecessor: erin,
    successors: [bob, carol],
    fingers: [
      { finger: 1, start: '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3d', node: bob },
      { finger: 2, start: '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3e', node: bob },
      { finger: 159, start: '7f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c', node: carol },
      { finger: 160, start: 'bf2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c', node: dave },
    ],
    knownPeers: [
      { aor: 'sip:bob@example.com', nodeId: bob.id, uri: bob.url },
      { aor: 'sip:carol@example.com', nodeId: carol.id, uri: carol.url },
    ],
    lookups: [
      { key: '9d1e2f3a4b5c6d7e8f9012a3b4c5d6e7f8091a2b', owner: carol.id, hops: 2, at: Date.now() - 5_000 },
    ],
    bindings: 3,
    ...overrides,
  };
}
