// NATS server URLs as users give them (--platform, --bridge, registry.json): checked and written
// one way, so that the connection area, the registry and the NATS client see the same list.
// Isomorphic: the host and the CLI check them; the renderer shows them.
const NATS_DEFAULT_PORT = 4222;
const NATS_SCHEMES = ['nats:', 'tls:'];

/** Why a list of NATS server URLs is not one, as "expected …" completes an error. */
export class NatsServersError extends Error {}

/**
 * `nats://a:4222,tls://b` → `['nats://a:4222', 'tls://b:4222']`: each URL with the nats: or tls:
 * scheme, a host, and a port (4222 when left out); nothing else. A user name or password in the
 * URL is refused: URLs are shown in the connection area and written in registry.json, so secrets
 * belong in a .creds file.
 */
export function parseNatsServers(text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new NatsServersError('one or more NATS server URLs, comma-separated (nats://HOST:PORT,…)');
  }
  return items.map((item) => parseNatsServer(item, items.length > 1));
}

/** One URL; `inList`: name it in the error, since the caller echoes only the whole list. */
function parseNatsServer(item: string, inList: boolean): string {
  const which = inList ? ` (in '${item}')` : '';
  let url: URL | undefined;
  try {
    url = new URL(item);
  } catch {
    url = undefined;
  }
  if (!url || (NATS_SCHEMES.includes(url.protocol) && url.hostname === '')) {
    throw new NatsServersError(
      `NATS server URLs like nats://HOST:4222${inList ? ` ('${item}' is not one)` : ''}`,
    );
  }
  if (!NATS_SCHEMES.includes(url.protocol)) {
    throw new NatsServersError(`nats:// or tls:// URLs, not ${url.protocol}//${which}`);
  }
  if (url.username !== '' || url.password !== '') {
    // Not echoed: it may hold a password.
    throw new NatsServersError(
      "URLs without a user name or password: give a .creds file as the platform's credentials instead",
    );
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    throw new NatsServersError(`only a scheme, host and port, as in nats://HOST:4222${which}`);
  }
  // A port outside 1-65535 does not parse at all; an explicit 0 parses and means nothing here.
  if (url.port === '0') throw new NatsServersError(`a port from 1 to 65535${which}`);
  return `${url.protocol}//${url.hostname}:${url.port || NATS_DEFAULT_PORT}`;
}
