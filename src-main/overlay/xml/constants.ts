/** The MIME type of every overlay body (paper, section 2.3). */
export const P2P_XML_CONTENT_TYPE = 'application/p2p+xml';

/** The namespace of every element of the protocol; a new major version gets a new namespace. */
export const P2P_XML_NAMESPACE = 'urn:chordline:p2p:1';

/** The `version` attribute of P2Pxml. */
export const P2P_XML_VERSION = '1';
