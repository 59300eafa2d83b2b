import type { NetworkView, PhoneApi, SwitchLayerInput } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/**
 * The network's layers as this phone runs them (trust, identity, presence): each one's
 * algorithm and health, live from networkChanged, and the operator's switch of a layer's
 * algorithm. A switch runs for minutes across the network; the command returns as soon as this
 * phone accepted it, and the events tell the rest (switching, then OK on the new algorithm).
 */
export class LayersState {
  network = $state.raw<NetworkView | null>(null);
  layers = $derived(this.network?.layers ?? []);
  lastSwitch = $derived(this.network?.lastSwitch ?? null);
  /** This phone holds the network's CA key: it may switch a layer. */
  operator = $derived(this.network?.operator ?? false);
  error = $state<string | null>(null);
  /** A switch this page asked for, while the core considers it. */
  busy = $state(false);

  #api: PhoneApi;
  #offs: Array<() => void>;
  /** Counts news from the core, so that a slow command's answer never overwrites newer news. */
  #news = 0;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#offs = [
      api.on('networkChanged', (network) => this.#hear(network)),
      api.on('appChanged', (status) => this.#hear(status.network)),
    ];
  }

  async load(): Promise<void> {
    const news = this.#news;
    try {
      const { network } = await this.#api.appStatus();
      if (this.#news === news) this.network = network;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** The operator's order; false (with `error` in the core's words) when it was refused. */
  async switchLayer(input: SwitchLayerInput): Promise<boolean> {
    const news = this.#news;
    this.busy = true;
    this.error = null;
    try {
      const network = await this.#api.switchLayer(input);
      if (this.#news === news) this.network = network;
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    for (const off of this.#offs) off();
  }

  #hear(network: NetworkView | null): void {
    this.#news++;
    this.network = network;
  }
}
