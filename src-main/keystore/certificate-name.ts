/**
 * Distinguished-name attributes for node-forge.
 */
import forge from 'node-forge';

/**
 * A CN attribute encoded as UTF8String. forge defaults to PrintableString, which has no '@'
 * (X.680 §41.4): `alice@example.com` would be mis-encoded and strict parsers would refuse it.
 */
export function commonNameAttribute(value: string): forge.pki.CertificateField {
  // @types/node-forge types valueTagClass as asn1.Class, but forge reads it as an asn1.Type tag.
  const utf8 = forge.asn1.Type.UTF8 as number as forge.asn1.Class;
  return { shortName: 'CN', value, valueTagClass: utf8 };
}
