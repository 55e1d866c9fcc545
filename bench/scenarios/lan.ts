// Scenario `lan`: the comparison of `receivers` off loopback. One sender and N receivers, each on
// its own simulated machine (a network namespace on one bridge, veth links of Ethernet's MTU:
// testing/netns.ts), nats-server on a machine of its own. Datagrams stay within the MTU: the
// engine is given the links' MTU (`--mtu`, as a host passes its interface's) and packs up to
// MTU − 28 bytes (IPv4 + UDP headers); raw UDP multicast sends datagrams of exactly that size.
import { number } from '../../src-main/args/converters';
import { NetLab, whyNoNamespaces } from '../../testing/netns';
import type { Machine } from '../../testing/netns';
import { compareOptions, natsOptions, runComparison } from '../lib/compare';
import type { CompareDefaults } from '../lib/compare';
import type { Place, Placement } from '../lib/placement';
import * as shared from '../lib/options';
import { defineScenario } from '../lib/scenario';

const defaults: CompareDefaults = { receivers: [1, 2, 4], duration: 4, warmup: 1, probes: 2, nats: true };

/** IPv4 and UDP headers: a datagram's payload is at most MTU − 28 bytes. */
const IP_UDP_HEADERS = 28;

const place = (m: Machine): Place => ({ via: m.via, address: m.address });

export const scenario = defineScenario({
  name: 'lan',
  summary: 'engine vs raw UDP multicast vs NATS between simulated machines (namespaces, veth, MTU 1500)',
  about:
    'The QSM engine vs raw UDP multicast and NATS pub/sub off loopback: 1 sender and N receivers, ' +
    'each on its own simulated machine (a network namespace on one Linux bridge, veth links), ' +
    'nats-server on a machine of its own; datagrams within the MTU (raw UDP sends datagrams of ' +
    'MTU − 28 bytes, the engine packs up to that). Needs root and iproute2.',
  options: {
    ...compareOptions(defaults),
    ...natsOptions,
    size: shared.size('message size (raw UDP datagrams are MTU − 28 bytes)'),
    mtu: {
      type: 'string',
      placeholder: 'BYTES',
      parse: number({ min: 576, max: 9000, integer: true }),
      default: '1500',
      description: 'MTU of the links; raw UDP datagrams and the engine’s packets are MTU − 28 bytes',
    },
  },
  async run(values, context) {
    const packetBytes = values.mtu - IP_UDP_HEADERS;
    const why = await whyNoNamespaces();
    if (why !== undefined) {
      throw new Error(`lan runs its processes on simulated machines (network namespaces), but ${why}`);
    }
    const receivers = Array.from({ length: Math.max(...values.receivers) }, (_, i) => `r${i + 1}`);
    const lab = await NetLab.create({ machines: ['sender', ...receivers, 'broker'], mtu: values.mtu });
    context.progress(lab.describe());
    try {
      const placement: Placement = {
        sender: place(lab.machine('sender')),
        receiver: (i) => place(lab.machine(`r${i + 1}`)),
        broker: place(lab.machine('broker')),
      };
      const outcome = await runComparison(values, context, defaults, {
        placement,
        rawDatagramBytes: packetBytes,
        nodeArgs: ['--mtu', String(values.mtu)],
      });
      return {
        ...outcome,
        parameters: { ...outcome.parameters, mtu: values.mtu, packetBytes, lab: lab.subnet },
        notes: [
          `Machines: network namespaces on one bridge (${lab.bridge}, ${lab.subnet}, veth links, MTU ` +
            `${values.mtu}): the sender and the GMS on ${lab.machine('sender').address}, receivers on ` +
            `${receivers.map((r) => lab.machine(r).address).join(', ')}, nats-server on ` +
            `${lab.machine('broker').address}. Every process is bound to its machine's address.`,
          `Datagrams: raw UDP sends ${packetBytes}-byte datagrams (MTU − 28), one message each; the ` +
            `engine packs ${values.size}-byte messages into datagrams of at most ${packetBytes} bytes ` +
            `(--mtu ${values.mtu}; a larger message goes as fragments). Its msgs/s are messages ` +
            "delivered, raw UDP's datagrams received.",
          ...(outcome.notes ?? []),
        ],
      };
    } finally {
      await lab.dispose();
    }
  },
});
