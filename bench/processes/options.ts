// Command-line options of the helper processes, which the runner (raw-udp.ts, nats.ts) starts.
import { defineOptions, parseOptions, UsageError } from '../../src-main/args/options';
import { bytes, port } from '../../src-main/args/converters';
import type { OptionTable, OptionValues } from '../../src-main/args/options';

/** The raw UDP multicast sender's and receivers'. */
export const udpOptions = defineOptions({
  group: { type: 'string', placeholder: 'ADDR', default: '239.255.77.1', description: 'multicast group' },
  port: { type: 'string', placeholder: 'N', parse: port, default: '47001', description: 'its port' },
  iface: { type: 'string', placeholder: 'ADDR', default: '127.0.0.1', description: 'multicast interface' },
});

/** The NATS publisher's and subscribers'. */
export const natsOptions = defineOptions({
  server: { type: 'string', placeholder: 'HOST:PORT', default: '127.0.0.1:4222', description: 'nats-server' },
  subject: { type: 'string', placeholder: 'SUBJECT', default: 'bench', description: 'subject' },
});

export const sizeOption = {
  type: 'string',
  placeholder: 'BYTES',
  parse: bytes,
  default: '1024',
  description: 'message size, at least the header',
} as const;

export const socketBufferOption = (description: string) =>
  ({ type: 'string', placeholder: 'BYTES', parse: bytes, default: '4MiB', description }) as const;

/** This process's options; a usage error ends it with exit code 2. */
export function readOptions<S extends OptionTable>(table: S): OptionValues<S> {
  try {
    return parseOptions(table, process.argv.slice(2)).values;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${process.argv[1] ?? 'helper'}: ${error.message}`);
    process.exit(2);
  }
}
