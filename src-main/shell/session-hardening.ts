/**
 * The browser side of the security checklist, applied once to the default session and to every
 * web contents the app ever creates: CSP header, permissions, no navigation, no new windows, no
 * <webview>.
 */
import { app, type Session } from 'electron';
import type { AppOrigin } from './app-url.ts';
import { isAppUrl } from './app-url.ts';
import { permissionAllowed } from './permission-policy.ts';
import { shellLog } from './shell-log.ts';

export function hardenSession(session: Session, origin: AppOrigin, csp: string): void {
  // The dev server's responses (http) pass here; chordline:// responses carry the header already.
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const allowed = permissionAllowed(
      { permission, requestingUrl: details.requestingUrl, mediaTypes, isMainFrame: details.isMainFrame },
      origin,
    );
    if (!allowed) shellLog('permission-refused', { permission, url: details.requestingUrl });
    callback(allowed);
  });

  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(
      {
        permission,
        requestingUrl: details.requestingUrl ?? requestingOrigin,
        mediaTypes: details.mediaType ? [details.mediaType] : undefined,
        isMainFrame: details.isMainFrame,
      },
      origin,
    ),
  );

  // Not a phone's business: USB, HID, serial, Bluetooth device pickers.
  session.setDevicePermissionHandler(() => false);
}

/** Every web contents (windows, and any frame the page might try to make). */
export function guardAllWebContents(origins: readonly AppOrigin[]): void {
  const ours = (url: string) => origins.some((origin) => isAppUrl(url, origin));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!ours(url)) {
        event.preventDefault();
        shellLog('navigation-blocked', { url });
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!ours(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      shellLog('window-open-blocked', { url });
      return { action: 'deny' };
    });
  });
}
