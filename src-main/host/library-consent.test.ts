// A note whose channel needs library code, opened by two hosts: nothing is fetched or run
// before the host's user answers, the answer is remembered in that host's registry, and a
// refusal is asked about again only when the user opens the object explicitly.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPlaceholder } from '../../src-shared/bridge/library-consent';
import { markerLibrary, libraryNoteXml } from '../../testing/library-note';
import { startLibraryServer } from '../../testing/library-server';
import type { LibraryServer } from '../../testing/library-server';
import { freeTcpPort } from '../../testing/ports';
import { waitFor } from '../../testing/wait';
import { Recorder, useHosts } from './test-helpers';

const { host } = useHosts();
let server: LibraryServer;
beforeAll(async () => {
  server = await startLibraryServer();
});
afterAll(() => server.close());

describe('host: library consent', () => {
  it('asks before any code is fetched, remembers the answer per host, and asks again on an explicit open', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'lo-consent-')), 'marker');
    const { url, sha256 } = server.add('/marker.js', markerLibrary(server.origin, marker));
    const xml = libraryNoteXml(url, sha256, 'Library note');
    const port = await freeTcpPort();
    const a = await host(port, 'alice');
    const b = await host(port, 'bob');
    const ra = new Recorder(a.openSession('web'));
    const rb = new Recorder(b.openSession('web'));

    await expect(ra.session.call('open', { xml })).rejects.toThrow(consentPlaceholder(url, sha256, 'ask'));
    expect(ra.last('library.consent')).toEqual({ url, sha256, neededBy: 'Library note', decision: 'ask' });
    expect(server.requests).toEqual([]);

    // Alice allows: the code runs in a process of her host's, and only there.
    await ra.session.call('library.answer', { url, sha256, answer: 'allow' });
    expect(ra.last('library.decided')).toEqual({ url, sha256, answer: 'allow' });
    expect(rb.last('library.decided')).toBeUndefined();
    const registry = JSON.parse(readFileSync(join(a.home, 'registry.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(registry.libraries).toEqual({ [url]: { [sha256]: 'allow' } });
    // The note cannot run on a library channel (no membership views), but the code ran.
    await expect(ra.session.call('open', { xml })).rejects.toThrow(/needs a channel with membership views/);
    await waitFor('the library to run', () => server.pings().length === 1);
    expect(server.pings()).toEqual([`/ran?ppid=${process.pid}&write=ERR_ACCESS_DENIED`]);
    expect(existsSync(marker)).toBe(false);

    // Bob's host was not asked: it neither fetches nor runs anything, whatever Alice said.
    const requests = server.requests.length;
    await expect(rb.session.call('open', { xml })).rejects.toThrow(consentPlaceholder(url, sha256, 'ask'));
    await rb.session.call('library.answer', { url, sha256, answer: 'deny' });
    expect(rb.last('library.decided')).toEqual({ url, sha256, answer: 'deny' });
    const asked = rb.events.filter((e) => e.event === 'library.consent').length;
    await expect(rb.session.call('open', { xml })).rejects.toThrow(consentPlaceholder(url, sha256, 'deny'));
    expect(rb.events.filter((e) => e.event === 'library.consent')).toHaveLength(asked);
    // Opened explicitly, a denied library is asked about again.
    await expect(rb.session.call('open', { xml, askAgain: true })).rejects.toThrow(
      consentPlaceholder(url, sha256, 'ask'),
    );
    expect(rb.events.filter((e) => e.event === 'library.consent')).toHaveLength(asked + 1);
    expect(server.requests.length).toBe(requests);
  }, 60_000);
});
