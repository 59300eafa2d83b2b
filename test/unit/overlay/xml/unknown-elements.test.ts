import { describe, expect, it } from 'vitest';
import { findMessages, isKnownOverlay, parseP2pXml } from '../../../../src-main/overlay/xml/index.ts';
import { ALICE_ID, bootstrapRegRequest } from './samples.ts';

const OPEN = '<P2Pxml xmlns="urn:chordline:p2p:1" version="1">';
const REG = `<BootstrapRegRequest><NodeID>${ALICE_ID}</NodeID><NodeURL>${bootstrapRegRequest.nodeUrl}</NodeURL></BootstrapRegRequest>`;

describe('a newer peer can talk to this one', () => {
  it('keeps an unknown message inside a known overlay as { kind: "unknown" } beside the known ones', () => {
    const body = `${OPEN}<Overlay layer="identity" algorithm="chord"><FingerUpdate><Anything deep="yes"><x/></Anything></FingerUpdate>${REG}</Overlay></P2Pxml>`;
    expect(parseP2pXml(body).overlays[0]?.messages).toEqual([
      { kind: 'unknown', name: 'FingerUpdate' },
      bootstrapRegRequest,
    ]);
  });

  it('returns an unknown overlay as it came, for the layer above to decide', () => {
    const body = `${OPEN}<Overlay layer="feature" algorithm="conference"><MixOffer><Codecs>opus</Codecs></MixOffer></Overlay><Overlay layer="identity" algorithm="kademlia">${REG}</Overlay></P2Pxml>`;
    const doc = parseP2pXml(body);
    expect(doc.overlays).toEqual([
      { layer: 'feature', algorithm: 'conference', messages: [{ kind: 'unknown', name: 'MixOffer' }] },
      // A known element name means nothing in an algorithm we do not know.
      {
        layer: 'identity',
        algorithm: 'kademlia',
        messages: [{ kind: 'unknown', name: 'BootstrapRegRequest' }],
      },
    ]);
    expect(isKnownOverlay('identity', 'kademlia')).toBe(false);
    expect(findMessages(doc, 'BootstrapRegRequest')).toEqual([]);
  });

  it('does not read a known message in an overlay whose vocabulary lacks it', () => {
    const body = `${OPEN}<Overlay layer="trust" algorithm="login-server">${REG}</Overlay></P2Pxml>`;
    expect(parseP2pXml(body).overlays[0]?.messages).toEqual([
      { kind: 'unknown', name: 'BootstrapRegRequest' },
    ]);
  });

  it('treats elements of another namespace as unknown, even with a known local name', () => {
    const body = `${OPEN}<Overlay layer="identity" algorithm="chord"><x:BootstrapRegRequest xmlns:x="urn:example"/><BootstrapRegRequest xmlns="urn:example"/></Overlay></P2Pxml>`;
    expect(parseP2pXml(body).overlays[0]?.messages).toEqual([
      { kind: 'unknown', name: 'x:BootstrapRegRequest' },
      { kind: 'unknown', name: 'BootstrapRegRequest' },
    ]);
  });

  it('reads our namespace under any prefix', () => {
    const reg = REG.replace(/<(\/?)(\w+)/g, '<$1c:$2').replace(
      '<c:BootstrapRegRequest',
      '<c:BootstrapRegRequest xmlns:c="urn:chordline:p2p:1"',
    );
    const body = `${OPEN}<Overlay layer="identity" algorithm="chord">${reg}</Overlay></P2Pxml>`;
    expect(parseP2pXml(body).overlays[0]?.messages).toEqual([bootstrapRegRequest]);
  });

  it('skips extension elements of other namespaces inside a known message', () => {
    const extended = REG.replace('</NodeURL>', '</NodeURL><ext:Hint xmlns:ext="urn:example">007</ext:Hint>');
    const body = `${OPEN}<Overlay layer="identity" algorithm="chord">${extended}</Overlay></P2Pxml>`;
    expect(parseP2pXml(body).overlays[0]?.messages).toEqual([bootstrapRegRequest]);
  });

  it('ignores comments, processing instructions, CDATA wrapping and unknown attributes', () => {
    const reg = REG.replace(`<NodeID>${ALICE_ID}`, `<NodeID hint="x"><!-- c --><![CDATA[${ALICE_ID}]]>`);
    const body = `<?xml version="1.0" encoding="UTF-8"?><?pi x?>${OPEN.replace('>', ' build="dev">')}<Overlay layer="identity" algorithm="chord">${reg}</Overlay></P2Pxml>`;
    expect(parseP2pXml(body).overlays[0]?.messages).toEqual([bootstrapRegRequest]);
  });

  it('accepts an empty body envelope: no overlays, no credential, no signature', () => {
    expect(parseP2pXml(`${OPEN}</P2Pxml>`)).toEqual({ overlays: [] });
  });
});
