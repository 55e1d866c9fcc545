import { describe, expect, it } from 'vitest';
import { parseLiveObject } from '../../src-shared/format';
import type { Reference } from '../../src-shared/format/document';
import { MemoryFolder } from '../objects/memory-folder';
import { ObjectCatalogue } from './catalogue';
import type { CompositeProxy } from './composite-proxy';
import { DereferenceError } from './errors';
import { Runtime } from './runtime';
import { clientEntry, echoEntry, templateEntry } from './test-objects';
import { LocalProxy } from './proxy';
import { STRING_CLIENT } from './test-objects';

const NS = 'xmlns="urn:liveobjects:1" version="1"';
const doc = (body: string, types = '') =>
  parseLiveObject(`<liveobject ${NS}>${types}\n${body}\n</liveobject>`);
const ref = (body: string): Reference => doc(body).reference;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function setup(folder = new MemoryFolder(), timeoutMs = 2000) {
  const catalogue = new ObjectCatalogue([echoEntry, clientEntry, templateEntry, folder.entry('test.folder')]);
  return { folder, runtime: new Runtime({ catalogue, resolveTimeoutMs: timeoutMs }) };
}

async function rejection(p: Promise<unknown>): Promise<DereferenceError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DereferenceError);
  return e as DereferenceError;
}

const COMPOSITE = `<composite>
  <component name="echo"><primitive id="test.echo"/></component>
  <component name="client"><primitive id="test.client"/></component>
  <connect a="client.channel" b="echo.channel"/>
</composite>`;

describe('dereference: primitive', () => {
  it('names an unknown id and its position', async () => {
    const { runtime } = setup();
    const e = await rejection(runtime.dereference(ref('<primitive id="test.nothing"/>')));
    expect(e.message).toBe("2:1: unknown primitive id 'test.nothing'");
    expect(e.pos).toEqual({ line: 2, column: 1 });
  });

  it('builds a built-in object', async () => {
    const { runtime } = setup();
    const proxy = await runtime.dereference(ref('<primitive id="test.echo"/>'));
    expect(proxy.endpointNames).toEqual(['channel']);
    proxy.dispose();
  });
});

describe('dereference: composite', () => {
  it('connects components, exports endpoints and disposes everything with one lifetime', async () => {
    const { runtime } = setup();
    const proxy = (await runtime.dereference(
      ref(`<composite>
        <component name="echo"><primitive id="test.echo"/></component>
        <export endpoint="echo.channel" as="chat"/>
      </composite>`),
    )) as CompositeProxy;
    expect(proxy.endpointNames).toEqual(['chat']);
    expect([...proxy.type.endpoints.keys()]).toEqual(['chat']);
    const client = new LocalProxy('client', STRING_CLIENT);
    const got: unknown[] = [];
    client.portal('channel').on('receive', (m) => got.push(m));
    let disconnected = false;
    client.portal('channel').onDisconnect(() => (disconnected = true));
    const connection = client.endpoint('channel').connect(proxy.endpoint('chat'));
    client.portal('channel').send('send', 'hi');
    await tick();
    expect(got).toEqual(['hi']);
    proxy.dispose();
    expect(disconnected).toBe(true);
    expect(connection.disposed).toBe(true);
    expect(proxy.components.get('echo')!.disposed).toBe(true);
  });

  it('connects internal connections and disposes them with the composite', async () => {
    const { runtime } = setup();
    const proxy = (await runtime.dereference(ref(COMPOSITE))) as CompositeProxy;
    expect(proxy.connections).toHaveLength(1);
    expect(proxy.endpointNames).toEqual([]);
    proxy.dispose();
    expect(proxy.connections[0]!.disposed).toBe(true);
  });

  it('reports an unknown component in a connect, with its position', async () => {
    // The parser already rejects this in files; references built in code reach the runtime.
    const { runtime } = setup();
    const composite: Reference = {
      kind: 'composite',
      pos: { line: 1, column: 1 },
      components: [{ name: 'echo', reference: { kind: 'primitive', id: 'test.echo' } }],
      connections: [
        {
          a: { component: 'client', endpoint: 'channel' },
          b: { component: 'echo', endpoint: 'channel' },
          pos: { line: 3, column: 3 },
        },
      ],
      exports: [],
    };
    const e = await rejection(runtime.dereference(composite));
    expect(e.message).toBe(
      "3:3: connect client.channel ↔ echo.channel names unknown component 'client' (components: echo)",
    );
  });

  it('reports mismatching endpoint types with the reasons', async () => {
    const { runtime } = setup();
    const e = await rejection(
      runtime.dereference(
        ref(`<composite>
  <component name="a"><primitive id="test.echo"/></component>
  <component name="b"><primitive id="test.echo"/></component>
  <connect a="a.channel" b="b.channel"/>
</composite>`),
      ),
    );
    expect(e.pos).toEqual({ line: 5, column: 3 });
    expect(e.message).toMatch(/connect a\.channel ↔ b\.channel: endpoint types .* do not match: .+/);
  });

  it('reports an unknown endpoint and an endpoint connected twice', async () => {
    const { runtime } = setup();
    const e = await rejection(
      runtime.dereference(
        ref(`<composite>
  <component name="echo"><primitive id="test.echo"/></component>
  <component name="client"><primitive id="test.client"/></component>
  <connect a="client.channel" b="echo.channel"/>
  <export endpoint="echo.channel" as="again"/>
  <export endpoint="echo.feed"/>
</composite>`),
      ),
    );
    expect(e.problems.map((p) => p.message)).toEqual([
      'endpoint echo.channel is already used by connect client.channel ↔ echo.channel; an endpoint instance is connected at most once',
      "export echo.feed as 'feed' names unknown endpoint 'feed' of component 'echo' (its endpoints: channel)",
    ]);
  });
});

describe('dereference: parameterized', () => {
  it('instantiates a template with checked arguments', async () => {
    const { runtime } = setup();
    const proxy = await runtime.dereference(
      ref(`<parameterized><template><primitive id="test.template"/></template>
        <param name="name"><value type="string">p</value></param>
        <param name="count"><value type="int">3</value></param>
        <param name="channel"><primitive id="test.echo"/></param>
        <param name="T"><type>Bytes</type></param>
      </parameterized>`),
    );
    const client = new LocalProxy('client', STRING_CLIENT);
    const got: unknown[] = [];
    client.portal('channel').on('receive', (m) => got.push(m));
    client.endpoint('channel').connect(proxy.endpoint('channel'));
    client.portal('channel').send('send', 'x');
    await tick();
    expect(got).toEqual(['p:x']);
    proxy.dispose();
  });

  it('reports every argument problem at once: wrong kind, wrong type, unknown, missing', async () => {
    const { runtime } = setup();
    const e = await rejection(
      runtime.dereference(
        ref(`<parameterized>
  <template><primitive id="test.template"/></template>
  <param name="count"><value type="string">three</value></param>
  <param name="channel"><value type="string">not a reference</value></param>
  <param name="colour"><value type="string">red</value></param>
  <param name="T"><type>Channel&lt;Bytes&gt;</type></param>
</parameterized>`),
      ),
    );
    const messages = e.problems.map((p) => `${p.pos?.line}: ${p.message}`);
    expect(messages).toEqual([
      "4: parameter 'count' of template 'test.template' expects a value of type Int but was given a String value",
      "5: parameter 'channel' of template 'test.template' expects a reference of type Reference<Channel<String>> but was given a <value>",
      "6: unknown parameter 'colour' for template 'test.template' (its parameters: name, count, channel, T)",
      expect.stringMatching(/^7: parameter 'T' of template 'test.template' expects a value type: /),
      "2: missing required parameter 'name' (a value of type String) of template 'test.template'",
    ]);
  });

  it('checks a reference argument’s type ⊑ the declared object type', async () => {
    const { runtime } = setup();
    const e = await rejection(
      runtime.dereference(
        ref(`<parameterized><template><primitive id="test.template"/></template>
  <param name="name"><value type="string">n</value></param>
  <param name="channel"><primitive id="test.client"/></param>
</parameterized>`),
      ),
    );
    expect(e.message).toMatch(
      /^\d+:\d+: parameter 'channel' of template 'test.template' expects a reference of type ⊑ Channel<String> but was given ChannelClient<String>: /,
    );
  });

  it('refuses an object used as a template and a template used as an object', async () => {
    const { runtime } = setup();
    const a = await rejection(
      runtime.dereference(
        ref('<parameterized><template><primitive id="test.echo"/></template></parameterized>'),
      ),
    );
    expect(a.message).toMatch(/must be a template, but it is an object of type Channel<String>/);
    const b = await rejection(runtime.dereference(ref('<primitive id="test.template"/>')));
    expect(b.message).toMatch(/'test.template' is a template; instantiate it with <parameterized>/);
  });
});

describe('dereference: external', () => {
  const external = (name: string, as = 'Channel&lt;String&gt;') =>
    `<external name="${name}" as="${as}"><from><primitive id="test.folder"/></from></external>`;

  it('resolves through a folder and checks the retrieved type', async () => {
    const { runtime, folder } = setup();
    folder.set('chat', { kind: 'primitive', id: 'test.echo' });
    const proxy = await runtime.dereference(ref(external('chat')));
    expect(proxy.label).toBe('test.echo');
    expect(folder.requests).toEqual(['chat']);
    proxy.dispose();
  });

  it('fails on a missing reply', async () => {
    const { runtime } = setup();
    const e = await rejection(runtime.dereference(ref(external('nope'))));
    expect(e.message).toBe("2:1: external 'nope': test.folder has no item named 'nope' (it replied missing)");
  });

  it('fails when the retrieved reference is not ⊑ as', async () => {
    const { runtime, folder } = setup();
    folder.set('chat', { kind: 'primitive', id: 'test.client' });
    const e = await rejection(runtime.dereference(ref(external('chat'))));
    expect(e.message).toMatch(
      /^2:1: external 'chat': the retrieved reference has type ChannelClient<String>, which is not ⊑ Channel<String>/,
    );
  });

  it('times out with a clear error', async () => {
    const { runtime } = setup(new MemoryFolder({ silent: true }), 50);
    const e = await rejection(runtime.dereference(ref(external('slow'))));
    expect(e.message).toBe("2:1: external 'slow': test.folder did not answer get('slow') within 50 ms");
  });

  it('detects a resolution cycle', async () => {
    const { runtime, folder } = setup();
    const loop = ref(external('loop'));
    folder.set('loop', loop);
    const e = await rejection(runtime.dereference(loop));
    expect(e.message).toBe("2:1: external resolution cycle: 'loop' → 'loop'");
  });

  it('bounds the depth of resolution chains', async () => {
    const { runtime, folder } = setup();
    for (let i = 0; i < 20; i++) {
      folder.set(`n${i}`, {
        kind: 'external',
        name: `n${i + 1}`,
        as: { name: 'Object', args: [] },
        from: { kind: 'primitive', id: 'test.folder' },
      });
    }
    const e = await rejection(runtime.dereference(ref(external('n0', 'Object'))));
    expect(e.message).toMatch(/resolution chain deeper than 16/);
  });

  it('requires <from> to be a folder', async () => {
    const { runtime } = setup();
    const e = await rejection(
      runtime.dereference(
        ref('<external name="x" as="Object"><from><primitive id="test.echo"/></from></external>'),
      ),
    );
    expect(e.message).toMatch(
      /the <from> of external 'x' must be a folder \(⊑ Folder<Name, Object>\) but is Channel<String>/,
    );
  });

  it('resolves a template through a folder and checks its arguments then', async () => {
    const { runtime, folder } = setup();
    folder.set('tpl', { kind: 'primitive', id: 'test.template' });
    const body = (param: string) =>
      `<parameterized><template>${external('tpl')}</template>${param}</parameterized>`;
    const proxy = await runtime.dereference(
      ref(body('<param name="name"><value type="string">a</value></param>')),
    );
    expect(proxy.label).toBe('test.template');
    proxy.dispose();
    const e = await rejection(runtime.dereference(ref(body(''))));
    expect(e.message).toMatch(/missing required parameter 'name'/);
  });
});

describe('static check', () => {
  it('derives types without running anything', () => {
    const { runtime } = setup();
    expect(runtime.typeOf(ref(COMPOSITE)).endpoints.size).toBe(0);
    const d = doc(
      `<external name="t" as="Ticker"><from><primitive id="test.folder"/></from></external>`,
      `<types><endpointtype name="Feed"><out event="tick" type="Bytes"/></endpointtype>
       <objecttype name="Ticker"><endpoint name="feed" type="Feed"/></objecttype></types>`,
    );
    const report = runtime.check(d);
    expect(report.problems).toEqual([]);
    expect([...report.type!.endpoints.keys()]).toEqual(['feed']);
  });

  it('reports a bad declared type with its position', () => {
    const { runtime } = setup();
    const report = runtime.check(
      doc(
        '<primitive id="test.echo"/>',
        `<types><objecttype name="X"><endpoint name="e" type="Nope"/></objecttype></types>`,
      ),
    );
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.pos).toBeDefined();
    expect(report.problems[0]!.message).toMatch(/Nope/);
  });
});
