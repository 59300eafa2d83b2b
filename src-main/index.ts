/**
 * The Electron main process's entry (electron-vite builds it into out/main/index.js). It only
 * joins the phone's core to the desktop shell; src-main/shell/ does the rest.
 */
import { fileURLToPath } from 'node:url';
import { PhoneCore } from './phone/phone-core.ts';
import { startDesktop } from './shell/desktop-app.ts';

startDesktop({
  openPhone: (options) => PhoneCore.open(options),
  // The folder holding out/ and resources/, found from this bundle (out/main/index.js) rather
  // than app.getAppPath(), which is out/main when Electron is started on the file itself.
  appRoot: fileURLToPath(new URL('../../', import.meta.url)),
});
