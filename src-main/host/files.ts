// Files the OS hands to the shell: read with a size limit, with messages a user can act on.
import { readFile, stat } from 'node:fs/promises';
import { decodeLiveObject, MAX_FILE_BYTES } from '../../src-shared/format';

export async function readReferenceFile(path: string): Promise<string> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error(`${path} is not a file`);
    size = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot open ${path}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`cannot open ${path}: permission denied`);
    throw e instanceof Error && !code ? e : new Error(`cannot open ${path}: ${(e as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) {
    throw new Error(
      `cannot open ${path}: ${size} bytes is larger than a .liveobject file may be (${MAX_FILE_BYTES} bytes)`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`cannot open ${path}: ${(e as Error).message}`);
  }
  // A FormatError naming the line and column of the first byte that is not UTF-8.
  return decodeLiveObject(bytes, path);
}
