// `--packet-key-file`: the 32-byte key that authenticates engine datagrams and GMS connections
// (engine NodeOptions.packetKey), read from a file as raw bytes or 64 hex digits. For tests,
// benchmarks and tools that hold a bare key; a workspace's nodes get theirs from the workspace.
import { readFileSync } from 'node:fs';
import { ValueError } from '../args/converters';
import type { Converter } from '../args/converters';

const EXPECTED = 'a file holding a 32-byte key (32 raw bytes or 64 hex digits)';

export const packetKeyFile: Converter<Uint8Array> = (path) => {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ValueError(`${EXPECTED}; reading it failed: ${(error as Error).message}`);
  }
  if (bytes.length === 32) return new Uint8Array(bytes);
  const hex = bytes.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return new Uint8Array(Buffer.from(hex, 'hex'));
  throw new ValueError(`${EXPECTED}; it holds ${bytes.length} bytes`);
};

/** The option, for the tables of `liveobjects node` and `liveobjects gms`. */
export const packetKeyOption = {
  type: 'string',
  placeholder: 'FILE',
  parse: packetKeyFile,
  description:
    'authenticate every datagram and the membership connection under the 32-byte key in FILE (raw or 64 hex digits); for tests and tools',
} as const;
