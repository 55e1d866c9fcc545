// The text of a caught value, for error messages and logs.
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
