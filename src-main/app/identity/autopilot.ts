import type { LoginServer } from '../../trust/login-server/index.ts';
import { isConstrained } from '../device/index.ts';
import type { DeviceLayer } from '../device/index.ts';
import { checkPolicy, chooseAlgorithm, DEFAULT_POLICY } from './choose-algorithm.ts';
import type { AlgorithmPolicy, NetworkShape } from './choose-algorithm.ts';
import type { IdentityLayer } from './identity-layer.ts';
import { orderSwitch } from './order-switch.ts';
import { estimatePeers } from './size-estimate.ts';

/** Periods of login counts kept to measure churn. */
const CHURN_WINDOW = 10;

export interface AutopilotOptions {
  policy?: AlgorithmPolicy;
  /** How often it looks (the layer's refresh period). */
  periodMs: number;
  /** The RetireAfter of the switches it orders. */
  retireAfterMs: number;
  /** The device layer, whose profiles say how many devices are constrained; none: counted as 0. */
  devices?: DeviceLayer;
  now?: () => number;
}

/** What one look found and did, for the lab's report and the status page. */
export interface AutopilotDecision {
  shape: NetworkShape;
  /** The algorithm it switched to, if it did. */
  switched?: string;
  /** Why a switch it ordered was refused (nothing changed then). */
  refused?: string;
}

/**
 * The network choosing its identity algorithm (choose-algorithm.ts), run by the operator's peer:
 * the one that hosts the login server, since only the CA may order a switch. Each period it
 * estimates the network's size from its own tables (size-estimate.ts) and its churn from the
 * login server's logins (each join of a device is a login; a device that leaves comes back by
 * one, so joins and leaves are about twice the logins), and the share of constrained devices from
 * the device layer's profiles, and orders a switch when the policy says.
 */
export class Autopilot {
  readonly #policy: AlgorithmPolicy;
  readonly #now: () => number;
  /** (time, logins so far), one per look, the last CHURN_WINDOW of them. */
  readonly #logins: Array<{ at: number; logins: number }> = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly decisions: AutopilotDecision[] = [];

  constructor(
    private readonly layer: IdentityLayer,
    private readonly ls: LoginServer,
    private readonly options: AutopilotOptions,
  ) {
    this.#policy = checkPolicy(options.policy ?? DEFAULT_POLICY);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Looks every period from now on, the first time after the policy's dwell (a network that has
   * just started is not judged on its first minutes). Safe twice.
   */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = setInterval(() => void this.look().catch(() => undefined), this.options.periodMs);
      this.#timer.unref();
    }, this.#policy.dwellMs);
    this.#timer.unref();
  }

  /** Safe twice. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One look: the network's shape, and a switch if the policy asks for one and none runs. */
  async look(): Promise<AutopilotDecision> {
    const devices = this.options.devices;
    const profiles = devices ? await devices.profiles() : [];
    const constrained = profiles.length > 0 ? profiles.filter(isConstrained).length / profiles.length : 0;
    const shape = this.shape(constrained);
    const decision: AutopilotDecision = { shape };
    const algorithm = this.layer.phase.switching ? undefined : chooseAlgorithm(shape, this.#policy);
    if (algorithm) {
      const { reply } = await orderSwitch(
        this.ls,
        {
          layer: 'identity',
          algorithm,
          seed: this.layer.active.self,
          retireAfterMs: this.options.retireAfterMs,
          after: this.layer.epoch,
        },
        (announcement) => this.layer.announce(announcement),
      );
      if (reply.ok) decision.switched = algorithm;
      else decision.refused = `${reply.status} ${reply.reason}`;
    }
    this.decisions.push(decision);
    return decision;
  }

  /** What the policy decides on; `constrained` from the device layer (look() reads it). */
  shape(constrained = 0): NetworkShape {
    const now = this.#now();
    const peers = estimatePeers(this.layer.active);
    this.#logins.push({ at: now, logins: this.ls.context.stats.logins });
    if (this.#logins.length > CHURN_WINDOW) this.#logins.shift();
    const first = this.#logins[0]!;
    const hours = (now - first.at) / 3_600_000;
    const churn = hours > 0 ? (2 * (this.ls.context.stats.logins - first.logins)) / peers / hours : 0;
    const history = this.layer.phase.history;
    const lastSwitch = history.length > 0 ? history[history.length - 1]!.at : -Infinity;
    return {
      algorithm: this.layer.active.algorithm,
      peers,
      churn,
      constrained,
      sinceSwitchMs: now - lastSwitch,
    };
  }
}
