export { DEVICE_LAYER, DeviceLayer } from './device-layer.ts';
export type { DeviceLayerOptions } from './device-layer.ts';
export {
  deviceAor,
  isConstrained,
  LOW_BANDWIDTH_KBPS,
  profileContact,
  readProfile,
} from './device-profile.ts';
export type { DeviceForm, DeviceProfile, Reachability } from './device-profile.ts';
