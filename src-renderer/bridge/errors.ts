// Turns whatever a rejected call or a failing listener produced into a sentence for the user.

/** Electron wraps errors thrown in ipcMain.handle; the user only needs the host's own text. */
const ELECTRON_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

export function errorMessage(error: unknown): string {
  const raw =
    error instanceof Error ? error.message : typeof error === 'string' ? error : describeUnknown(error);
  const text = raw.replace(ELECTRON_PREFIX, '').trim();
  return text.length > 0 ? text : 'Something went wrong (no details were given).';
}

function describeUnknown(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return '';
}

/** The error a call rejects with when the host answered `ok: false`. */
export class HostError extends Error {
  override readonly name = 'HostError';
}

/** The error pending calls reject with when the connection drops before an answer. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  constructor() {
    super('The connection to the host was lost before it answered; please try again.');
  }
}
