// Who may talk to the web shell. It listens on loopback only, but any web page the user visits
// can aim requests at loopback: the Host check defeats DNS rebinding, the Origin check
// cross-site WebSockets, and the per-launch token everything else (other local users, tools).
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface Guard {
  readonly token: string;
  /** The Host header names this server on loopback (not a rebound DNS name). */
  hostAllowed(host: string | undefined): boolean;
  /** The Origin header is this server's own page. */
  originAllowed(origin: string | undefined): boolean;
}

export function createGuard(port: number, token: string): Guard {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  return {
    token,
    hostAllowed: (host) => host !== undefined && hosts.has(host.toLowerCase()),
    originAllowed: (origin) => origin !== undefined && origins.has(origin.toLowerCase()),
  };
}
