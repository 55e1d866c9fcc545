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
  if (items.length === 0 || items.some((s) => s === '')) {
    throw new NatsServersError('one or more NATS server URLs, comma-separated (nats://HOST:PORT,…)');
  }
  return items.map(parseNatsServer);
}

function parseNatsServer(item: string): string {
  let url: URL;
  try {
    url = new URL(item);
  } catch {
    throw new NatsServersError(`a NATS server URL like nats://HOST:4222, not '${item}'`);
  }
  if (!NATS_SCHEMES.includes(url.protocol)) {
    throw new NatsServersError(
      `a nats:// or tls:// URL, not '${item}' (scheme ${url.protocol.replace(/:$/, '')})`,
    );
  }
  if (url.hostname === '') throw new NatsServersError(`a host in '${item}', as in nats://HOST:4222`);
  if (url.username !== '' || url.password !== '') {
    throw new NatsServersError(
      `no user name or password in '${item}': give a .creds file as the platform's credentials instead`,
    );
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    throw new NatsServersError(`only a scheme, host and port in '${item}', as in nats://HOST:4222`);
  }
  // A port outside 1-65535 already failed to parse; an explicit 0 parses and means nothing here.
  if (url.port === '0') throw new NatsServersError(`a port from 1 to 65535 in '${item}'`);
  return `${url.protocol}//${url.hostname}:${url.port || NATS_DEFAULT_PORT}`;
}
