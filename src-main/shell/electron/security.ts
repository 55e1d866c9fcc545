// Session- and window-level hardening for every renderer the Electron shell creates.
import { session, shell } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { contentSecurityPolicy } from '../common/csp';
import { APP_ORIGIN } from './app-protocol';

/** Origins whose main frame may use the bridge: the app, and electron-vite's dev server. */
export function trustedOrigins(devUrl: string | undefined): ReadonlySet<string> {
  const origins = new Set([APP_ORIGIN]);
  if (devUrl) origins.add(new URL(devUrl).origin);
  return origins;
}

/** scheme://host: Node's URL gives app:// (a scheme only Chromium knows as standard) origin 'null'. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? undefined : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

/** IPC is answered only for a trusted page's main frame, never an iframe or a stray page. */
export function isTrustedSender(
  event: IpcMainEvent | IpcMainInvokeEvent,
  origins: ReadonlySet<string>,
): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== undefined && origins.has(origin);
}

/**
 * CSP as a response header on everything the default session loads. app:// responses carry
 * it already; this covers the dev server, which also needs its HMR socket and inline preamble.
 */
export function installSessionSecurity(devUrl: string | undefined): void {
  const strict = contentSecurityPolicy();
  const devOrigin = devUrl ? new URL(devUrl).origin : undefined;
  const dev =
    devOrigin === undefined
      ? strict
      : contentSecurityPolicy({ connect: [devOrigin.replace(/^http/, 'ws')], script: ["'unsafe-inline'"] });
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const csp = devOrigin !== undefined && details.url.startsWith(devOrigin) ? dev : strict;
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // The renderer needs no camera, geolocation, notifications…; clipboard writes only.
  const allowed = new Set(['clipboard-sanitized-write']);
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(allowed.has(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => allowed.has(permission));
}

/** No navigation away from the app, no new windows, no webviews; web links go to the browser. */
export function hardenContents(contents: WebContents, origins: ReadonlySet<string>): void {
  contents.on('will-navigate', (event, url) => {
    const origin = originOf(url);
    if (origin === undefined || !origins.has(origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    const origin = originOf(url);
    if (origin === undefined || !origins.has(origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
