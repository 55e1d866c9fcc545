// Values quoted in messages come from files and peers: a 900,000-character id must not come
// back whole in an error, a log line or a dialog.

/** Longest value a message repeats whole. */
export const MAX_QUOTED_CHARS = 80;

/** `value` itself when short, else its first MAX_QUOTED_CHARS characters, `…` and its length. */
export function clipValue(value: string, max = MAX_QUOTED_CHARS): string {
  if (value.length <= max) return value;
  // Never split a surrogate pair.
  const end = isHighSurrogate(value.charCodeAt(max - 1)) ? max - 1 : max;
  return `${value.slice(0, end)}… (${value.length} characters)`;
}

/** `text` with every run of more than `max` characters without spaces or quotes clipped
 * (clipValue): for messages that quote values from outside. */
export function clipLongValues(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  return text.replace(new RegExp(`[^\\s'"<>=]{${max + 1},}`, 'g'), (run) => clipValue(run, max));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
