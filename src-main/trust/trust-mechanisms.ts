import { loginServerTrust } from './login-server-trust.ts';
import { TrustRegistry } from './trust-registry.ts';

/** The mechanism a peer runs unless told otherwise: the paper's central login server. */
export const DEFAULT_TRUST_MECHANISM = 'login-server';

/** Every trust mechanism a peer can run, by name. */
export function trustMechanisms(): TrustRegistry {
  return new TrustRegistry().register(DEFAULT_TRUST_MECHANISM, loginServerTrust());
}
