// The engine refuses a host whose packet key the membership service does not share
// (`MembershipRefusedError`, engine/gms): the host says so in words a user can act on.

/** The engine error class name of a refused registration. */
export const MEMBERSHIP_REFUSED = 'MembershipRefusedError';

/** How the engine's refusal reads as text (a connection report's `error`): its class name, or
 * its message (`the membership service at … refused this node: the workspace key does not
 * match`, or that the service runs without a key). */
const REFUSED_TEXT = new RegExp(`${MEMBERSHIP_REFUSED}|refused this node|key does not match`, 'i');

/** Whether `error` (or an error it was caused by) is a refused registration. Matched by name
 * and text: the host sees the engine's errors wrapped, and as text in connection reports. */
export function isMembershipRefused(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (typeof e === 'string') return REFUSED_TEXT.test(e);
    if (!(e instanceof Error)) return false;
    if (e.name === MEMBERSHIP_REFUSED || REFUSED_TEXT.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}

/** What a host that is not a member of the workspace at `address` tells its user. */
export function notMemberText(address: string): string {
  return (
    `This machine is not a member of the workspace served at ${address}: ask a member for an ` +
    'invitation (`liveobjects invite` on their machine), then open it or run `liveobjects join FILE`.'
  );
}
