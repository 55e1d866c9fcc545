// What both shells tell a renderer when a command fails.

/** The message of whatever a host call rejected with, as shown to the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'unknown error';
}
