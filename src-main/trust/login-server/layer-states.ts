import type { LayerState } from '../../overlay/xml/index.ts';
import type { AccountStore } from '../accounts/index.ts';

/** The meta key holding every switched layer's state, as JSON. */
const LAYERS_META = 'layer_states';

/**
 * The algorithm each layer of the network runs now, as the operator last switched it
 * (docs/PROTOCOL.md section 10.4), kept in the login server's database so that it outlives a
 * restart: every CertificateIssued names them, and a peer logging in joins the overlay that runs.
 * A layer never switched is not named (it runs its default).
 */
export function readLayerStates(store: AccountStore): LayerState[] {
  const text = store.getMeta(LAYERS_META);
  if (text === undefined) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter(isLayerState) : [];
}

/** Records a switch the CA signed; an epoch not above the recorded one is ignored (returns false). */
export function recordLayerSwitch(store: AccountStore, state: LayerState): boolean {
  return store.batch(() => {
    const states = readLayerStates(store);
    const held = states.find((s) => s.layer === state.layer);
    if (held && held.epoch >= state.epoch) return false;
    const next = [...states.filter((s) => s.layer !== state.layer), { ...state }];
    store.setMeta(LAYERS_META, JSON.stringify(next));
    return true;
  });
}

function isLayerState(value: unknown): value is LayerState {
  const v = value as Partial<LayerState> | null;
  return (
    typeof v?.layer === 'string' &&
    typeof v.algorithm === 'string' &&
    typeof v.epoch === 'number' &&
    Number.isInteger(v.epoch)
  );
}
