// Small objects for runtime tests and examples in docs: an echo channel (server side of
// Channel<String>), a channel client (its dual), and a template with every parameter kind.
import { dualEndpointType, objectType } from '../../src-shared/model/build';
import { INT, STRING, channelType } from '../../src-shared/model/catalogue';
import type { ObjectType } from '../../src-shared/model/types';
import type { CatalogueEntry } from './catalogue';

export const STRING_CHANNEL: ObjectType = channelType(STRING);
export const STRING_CLIENT: ObjectType = objectType({
  name: 'ChannelClient<String>',
  endpoints: [
    ['channel', dualEndpointType(STRING_CHANNEL.endpoints.get('channel')!, 'ChannelClient<String>.channel')],
  ],
});

/** test.echo: Channel<String> that delivers every message back. */
export const echoEntry: CatalogueEntry = {
  kind: 'object',
  id: 'test.echo',
  type: STRING_CHANNEL,
  description: 'echo channel (tests)',
  create(ctx) {
    const proxy = ctx.proxy();
    const channel = proxy.portal('channel');
    channel.on('send', (text) => channel.send('receive', text));
    return proxy;
  },
};

/** test.client: the client side of Channel<String>; records what it receives. */
export const clientEntry: CatalogueEntry = {
  kind: 'object',
  id: 'test.client',
  type: STRING_CLIENT,
  description: 'channel client (tests)',
  create: (ctx) => ctx.proxy(),
};

/** test.template: one parameter of each kind; result Channel<String>. */
export const templateEntry: CatalogueEntry = {
  kind: 'template',
  id: 'test.template',
  params: [
    { name: 'name', kind: 'value', type: STRING, required: true },
    { name: 'count', kind: 'value', type: INT, required: false },
    { name: 'channel', kind: 'reference', type: STRING_CHANNEL, required: false },
    { name: 'T', kind: 'type', typeKind: 'value', required: false },
  ],
  type: STRING_CHANNEL,
  description: 'template (tests)',
  instantiate(ctx) {
    const prefix = ctx.args.string('name');
    const proxy = ctx.proxy();
    const channel = proxy.portal('channel');
    channel.on('send', (text) => channel.send('receive', `${prefix}:${String(text)}`));
    return proxy;
  },
};
