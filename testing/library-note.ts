// The library attack of the tests: a module that, when its code runs, tries to write a marker
// file and pings the library server with its parent's pid (the host that ran it), and a note
// whose channel comes from that library (the vehicle that makes a host load it).

/** The module text: `loop`, a Channel<Bytes> that delivers every message back. */
export function markerLibrary(origin: string, marker: string): string {
  return `import { writeFileSync } from 'node:fs';
let wrote = 'yes';
try { writeFileSync(${JSON.stringify(marker)}, 'ran'); } catch (e) { wrote = e.code ?? 'error'; }
await fetch(${JSON.stringify(origin)} + '/ran?ppid=' + process.ppid + '&write=' + wrote);
export default (lo) => lo.defineLibrary({
  objects: {
    loop: {
      type: 'Channel<Bytes>',
      description: 'a channel on this machine only: delivers every message back',
      create(ctx) {
        const proxy = ctx.proxy();
        const channel = proxy.portal('channel');
        channel.on('send', (m) => channel.send('receive', m));
        return proxy;
      },
    },
  },
});
`;
}

/** A note whose checkpointed channel runs over the library's `loop` channel. */
export function libraryNoteXml(url: string, sha256: string, title: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<liveobject xmlns="urn:liveobjects:1" version="1">
  <meta><title>${title}</title></meta>
  <parameterized>
    <template><primitive id="liveobjects.note"/></template>
    <param name="channel">
      <parameterized>
        <template><primitive id="liveobjects.checkpointed"/></template>
        <param name="channel">
          <external name="loop" as="Channel&lt;Bytes&gt;">
            <from>
              ${libraryReferenceXml(url, sha256)}
            </from>
          </external>
        </param>
      </parameterized>
    </param>
  </parameterized>
</liveobject>
`;
}

/** The `liveobjects.library` reference of the module at `url` with `sha256`. */
export function libraryReferenceXml(url: string, sha256: string): string {
  return `<parameterized>
  <template><primitive id="liveobjects.library"/></template>
  <param name="url"><value type="string">${url}</value></param>
  <param name="sha256"><value type="string">${sha256}</value></param>
</parameterized>`;
}
