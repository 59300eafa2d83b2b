/** The phone's screens, in sidebar order, with their keyboard shortcuts. */
export const VIEWS = [
  { name: 'contacts', label: 'Contacts', icon: 'contacts', key: '1' },
  { name: 'dial', label: 'Dial pad', icon: 'dialpad', key: '2' },
  { name: 'history', label: 'History', icon: 'history', key: '3' },
  { name: 'network', label: 'Network', icon: 'network', key: '4' },
  { name: 'identity', label: 'Identity', icon: 'identity', key: '5' },
  { name: 'settings', label: 'Settings', icon: 'settings', key: ',' },
] as const;

/** A screen of the phone; `call` exists only while a call does. */
export type ViewName = (typeof VIEWS)[number]['name'] | 'call';
