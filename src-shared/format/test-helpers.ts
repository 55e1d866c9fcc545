// Shared by the format tests: wrapping bodies into files and catching FormatErrors.
import { FormatError } from './errors';
import { parseLiveObject } from './parse';

export const HEAD =
  '<?xml version="1.0" encoding="utf-8"?>\n<liveobject xmlns="urn:liveobjects:1" version="1">\n';

/** A file whose body starts at line 3, column 1. */
export function file(body: string): string {
  return `${HEAD}${body}\n</liveobject>\n`;
}

export function parseError(text: string): FormatError {
  try {
    parseLiveObject(text, { source: 'test.liveobject' });
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError, but the file parsed');
}
