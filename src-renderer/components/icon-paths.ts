/**
 * The phone's icons: 24×24 strokes drawn for this app (currentColor, round joins), one or more
 * path data strings each, so the bundle needs no icon font and the CSP no extra source.
 */
export const ICON_PATHS = {
  phone: [
    'M5 4h3.5l2 5-2.6 1.6a11.5 11.5 0 0 0 5.5 5.5L15 13.5l5 2V19a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
  ],
  'phone-off': [
    'M3.2 13.6a2 2 0 0 1 0-2.8 12.5 12.5 0 0 1 17.6 0 2 2 0 0 1 0 2.8l-2.1 2.1-3.9-2.3.4-2.9a9 9 0 0 0-6.4 0l.4 2.9-3.9 2.3z',
  ],
  contacts: [
    'M16 20v-1.5a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4V20',
    'M9.5 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z',
    'M21 20v-1.5a4 4 0 0 0-3-3.9',
    'M15.5 4.1a3.5 3.5 0 0 1 0 6.8',
  ],
  dialpad: [
    'M6 4.5h.01M12 4.5h.01M18 4.5h.01M6 10h.01M12 10h.01M18 10h.01M6 15.5h.01M12 15.5h.01M18 15.5h.01M12 21h.01',
  ],
  history: ['M3 12a9 9 0 1 0 3-6.7L3 8', 'M3 3v5h5', 'M12 7.5V12l3 2'],
  network: [
    'M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z',
    'M12 4 6.3 17.7M12 4l7.6 10.5',
    'M12 5.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z',
  ],
  identity: ['M12 3 4.5 6v5.5c0 4.6 3.2 8.3 7.5 9.5 4.3-1.2 7.5-4.9 7.5-9.5V6z', 'm9 12 2 2 4-4'],
  settings: [
    'M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1',
    'M15 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM9 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM17 20a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  ],
  plus: ['M12 5v14M5 12h14'],
  edit: ['M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4z', 'm13.5 6.5 4 4'],
  trash: ['M4 7h16', 'M10 11v6M14 11v6', 'M5.5 7l1 12a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2l1-12', 'M9 7V4h6v3'],
  incoming: ['M17 7 7 17', 'M16 17H7V8'],
  outgoing: ['M7 17 17 7', 'M8 7h9v9'],
  missed: ['M3 8l6 6 4-4 6 6', 'M14 16h5v-5'],
  download: ['M12 4v11', 'm7 10 5 5 5-5', 'M5 20h14'],
  upload: ['M12 20V9', 'm7 14 5-5 5 5', 'M5 4h14'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  backspace: ['M21 5H9l-6 7 6 7h12z', 'm13 9.5 5 5M18 9.5l-5 5'],
  check: ['m5 12.5 4.5 4.5L19 7.5'],
  close: ['M6 6l12 12M18 6 6 18'],
  search: ['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z', 'm20 20-4-4'],
  alert: ['M12 3 2 20h20z', 'M12 10v4M12 17h.01'],
  keyboard: ['M3 6h18v12H3z', 'M7 10h.01M11 10h.01M15 10h.01M7 14h10'],
  mic: ['M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0M12 18v3'],
  'mic-off': ['M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0M12 18v3', 'M4 4l16 16'],
  pause: ['M8 5v14M16 5v14'],
  speaker: ['M4 9h4l5-4v14l-5-4H4z', 'M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12'],
} as const;

export type IconName = keyof typeof ICON_PATHS;
