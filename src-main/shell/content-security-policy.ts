/**
 * The renderer's Content-Security-Policy, sent as a response header on everything the window
 * loads (a <meta> tag could be dropped by a later build step; a header cannot).
 *
 * Only the app's own scripts run: no inline script, no eval, nothing from the network (the UI
 * talks to the phone over IPC, not fetch). Styles allow 'unsafe-inline' because Svelte writes
 * `style="…"` attributes into its templates; a style cannot run code.
 */
export interface CspOptions {
  /** The electron-vite dev server (development only): its scripts and its HMR WebSocket. */
  devServer?: string | null;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = devOrigins(options.devServer);
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'", ...dev.http],
    ['style-src', "'self'", "'unsafe-inline'", ...dev.http],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:'],
    // Ringtones today; the voice issue plays remote audio through srcObject, which CSP does not govern.
    ['media-src', "'self'", 'blob:'],
    ['connect-src', "'self'", ...dev.http, ...dev.ws],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['worker-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

function devOrigins(devServer: string | null | undefined): { http: string[]; ws: string[] } {
  if (!devServer) return { http: [], ws: [] };
  const url = new URL(devServer);
  const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  return { http: [url.origin], ws: [ws] };
}
