// The renderer loads from app://liveobjects/ rather than file://: a real origin for 'self'
// in the CSP, response headers we control, and no reach beyond out/renderer.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../common/csp';
import { cacheControl, lookupStatic } from '../common/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'liveobjects';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Serves `rendererDir` on app://liveobjects/ with the strict CSP. */
export function handleAppScheme(rendererDir: string): void {
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return text(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
    const found = await lookupStatic(rendererDir, url.pathname);
    if (found.kind === 'bad-request') return text(400, 'bad path');
    if (found.kind === 'missing') return text(404, 'not found');
    const body = request.method === 'HEAD' ? null : await readFile(found.path);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': found.contentType,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': cacheControl(url.pathname),
      },
    });
  });
}
