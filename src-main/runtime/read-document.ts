// Reads and parses one .liveobject file from disk (CLI, host), turning every failure into the
// one-line `file:line:col: message` form.
import { readFile, stat } from 'node:fs/promises';
import type { LiveObjectDocument } from '../../src-shared/format/document';
import { decodeLiveObject, FormatError, MAX_FILE_BYTES, parseLiveObject } from '../../src-shared/format';

export type ReadResult =
  | { readonly ok: true; readonly document: LiveObjectDocument }
  | { readonly ok: false; readonly error: string };

export async function readDocument(file: string): Promise<ReadResult> {
  const fail = (line: number, column: number, message: string): ReadResult => ({
    ok: false,
    error: `${file}:${line}:${column}: ${message}`,
  });
  let bytes: Buffer;
  try {
    // Refuse oversized files before reading them into memory.
    const size = (await stat(file)).size;
    if (size > MAX_FILE_BYTES)
      return fail(1, 1, `file too large: ${size} bytes, the limit is ${MAX_FILE_BYTES} bytes (1 MiB)`);
    bytes = await readFile(file);
  } catch (e) {
    return fail(1, 1, `cannot read file: ${(e as Error).message}`);
  }
  try {
    return { ok: true, document: parseLiveObject(decodeLiveObject(bytes, file), { source: file }) };
  } catch (e) {
    if (e instanceof FormatError) return fail(e.line, e.column, e.reason);
    return fail(1, 1, (e as Error).message);
  }
}
