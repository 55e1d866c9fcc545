// An example live objects library (docs/library-api.md). The runtime loads it only when its
// SHA-256 equals the digest in the referencing file: after editing it, update the digest in
// assets/objects/*.liveobject (`sha256sum assets/libraries/greetings.js`).
export default function define(lo) {
  return lo.defineLibrary({
    types: {
      ChannelClient: { kind: 'endpoint', in: { receive: 'Bytes' }, out: { send: 'Bytes' } },
      GreeterView: { kind: 'endpoint', out: { greeting: 'String' } },
      Greeter: { kind: 'object', endpoints: { channel: 'ChannelClient', view: 'GreeterView' } },
    },
    objects: {
      greeter: {
        type: 'Greeter',
        description: 'says hello on its channel once connected and shows every message it receives',
        create(ctx) {
          const proxy = ctx.proxy();
          const channel = proxy.portal('channel');
          const view = proxy.portal('view');
          channel.onConnect(() => channel.send('send', new Uint8Array(Buffer.from('hello'))));
          channel.on('receive', (bytes) => {
            if (view.connected) view.send('greeting', Buffer.from(bytes).toString('utf8'));
          });
          return proxy;
        },
      },
    },
    templates: {
      echo: {
        type: 'Channel<String>',
        description: 'a local channel that delivers every message back, prefixed',
        params: { prefix: { kind: 'value', type: 'String' } },
        instantiate(ctx) {
          const prefix = ctx.args.string('prefix');
          const proxy = ctx.proxy();
          const channel = proxy.portal('channel');
          channel.on('send', (text) => channel.send('receive', prefix + text));
          return proxy;
        },
      },
    },
  });
}
