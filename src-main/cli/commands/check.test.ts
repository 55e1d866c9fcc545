import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../../testing/liveobjects';
import { writeInvitation } from '../../../src-shared/workspace/invitation';
import { newWorkspace } from '../../host/workspace';

const NS = 'xmlns="urn:liveobjects:1" version="1"';

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm warn'));

describe('liveobjects check', () => {
  it('passes on every example in assets/objects', async () => {
    const files = readdirSync(join(ROOT, 'assets/objects'))
      .filter((f) => f.endsWith('.liveobject'))
      .map((f) => `assets/objects/${f}`);
    expect(files.length).toBeGreaterThanOrEqual(6);
    const r = await runCli('check', ...files);
    expect(lines(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(files.length);
  });

  it('prints one file:line:col line per bad file and still checks the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-check-'));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const good = file(
      'good.liveobject',
      `<liveobject ${NS}><primitive id="liveobjects.registry"/></liveobject>`,
    );
    const bad = {
      truncated: file('truncated.liveobject', `<liveobject ${NS}><composite><component name="a">`),
      namespace: file(
        'namespace.liveobject',
        `<liveobject xmlns="urn:other" version="1"><primitive id="a.b"/></liveobject>`,
      ),
      entities: file(
        'entities.liveobject',
        `<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<liveobject ${NS}><primitive id="liveobjects.registry"/></liveobject>`,
      ),
      oversized: file(
        'oversized.liveobject',
        `<liveobject ${NS}><!--${'x'.repeat(1024 * 1024)}--><primitive id="a.b"/></liveobject>`,
      ),
      unknownId: file(
        'unknown.liveobject',
        `<liveobject ${NS}>\n  <primitive id="no.such.object"/>\n</liveobject>`,
      ),
      missingParam: file(
        'missing.liveobject',
        `<liveobject ${NS}>\n<parameterized><template><primitive id="qsm.channel"/></template>\n<param name="group"><value type="int">4</value></param>\n</parameterized>\n</liveobject>`,
      ),
    };
    const r = await runCli('check', good, ...Object.values(bad));
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([`${good}: ok (Folder<Name, Object>)`]);
    const errors = lines(r.stderr);
    expect(errors).toHaveLength(Object.keys(bad).length);
    Object.values(bad).forEach((path, i) => expect(errors[i]).toMatch(new RegExp(`^${path}:\\d+:\\d+: .+`)));
    expect(errors[0]).toMatch(/truncated\.liveobject:1:\d+: /);
    expect(errors[1]).toMatch(/xmlns="urn:liveobjects:1"/);
    expect(errors[2]).toMatch(/DOCTYPE|entit/i);
    expect(errors[3]).toMatch(
      /oversized\.liveobject:1:1: file too large: \d+ bytes, the limit is 1048576 bytes/,
    );
    expect(errors[4]).toBe(`${bad.unknownId}:2:3: unknown primitive id 'no.such.object'`);
    expect(errors[5]).toMatch(
      /missing\.liveobject:3:1: parameter 'group' of template 'qsm.channel' expects a value of type String but was given a Int value; also 2:1: missing required parameter 'gms'/,
    );
  });

  it('what fuzzing found: two BOMs, XML 1.1, a huge id echoed whole, invalid UTF-8 placed at 1:1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-check-'));
    const file = (name: string, bytes: Uint8Array | string): string => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const body = (id: string): string => `<liveobject ${NS}>\n  <primitive id="${id}"/>\n</liveobject>\n`;
    const BOM = [0xef, 0xbb, 0xbf];
    const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];
    const bad = {
      twoBoms: file(
        'boms.liveobject',
        new Uint8Array([...BOM, ...BOM, ...utf8(body('liveobjects.registry'))]),
      ),
      xml11: file(
        'xml11.liveobject',
        `<?xml version="1.1" encoding="utf-8"?>\n${body('liveobjects.registry')}`,
      ),
      hugeId: file('huge.liveobject', body('a'.repeat(900_000))),
      // Line 2, column 32 (after "  <primitive id=\"liveobjects.ré"; the BOM is no column): not UTF-8.
      invalidUtf8: file(
        'utf8.liveobject',
        new Uint8Array([
          ...BOM,
          ...utf8(`<liveobject ${NS}>\n  <primitive id="liveobjects.ré`),
          0xff,
          ...utf8('gistry"/>\n</liveobject>\n'),
        ]),
      ),
    };
    const r = await runCli('check', ...Object.values(bad));
    expect(r.code).toBe(1);
    const errors = lines(r.stderr);
    expect(errors).toEqual([
      `${bad.twoBoms}:1:1: a second byte order mark (U+FEFF): a .liveobject file starts with at most one`,
      `${bad.xml11}:1:16: XML 1.1 is not allowed: a .liveobject file is XML 1.0 (<?xml version="1.0"?>)`,
      `${bad.hugeId}:2:3: unknown primitive id '${'a'.repeat(80)}… (900000 characters)'`,
      `${bad.invalidUtf8}:2:32: not valid UTF-8: the byte 0xFF (at byte offset 86) does not start or continue a UTF-8 character; save the file as UTF-8`,
    ]);
  });

  it('exits 2 with the usage when given no file', async () => {
    const r = await runCli('check');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: liveobjects check FILE/);
  });
});

describe('liveobjects inspect and types', () => {
  it('inspect prints the reference tree and the derived type', async () => {
    const r = await runCli('inspect', 'assets/objects/note-via-registry.liveobject');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("external 'QuickSilver' as Folder<Name, Channel<Bytes>>");
    expect(r.stdout).toMatch(/primitive liveobjects\.registry {2}\(\d+:\d+\)/);
    expect(r.stdout).toContain('object type UI');
    expect(r.stdout).toContain('out show(Bytes)');
  });

  it('inspect names the code libraries a file needs and how to allow one', async () => {
    const r = await runCli('inspect', 'assets/objects/composite-greeter.liveobject');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('code libraries (not loaded by inspect or check;');
    expect(r.stdout).toContain('liveobjects serve --allow-library URL');
    expect(r.stdout).toContain(
      '  http://127.0.0.1:8080/greetings.js  SHA-256 6638b5029271578d564aa9d05095a8851dd25ae77bac510221eecdb77b95bdb3',
    );
  });

  it('types lists built-in types, formalisms, objects and templates with parameters', async () => {
    const r = await runCli('types');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('object type Folder<N, O>');
    expect(r.stdout).toContain('liveobjects.guarantees');
    expect(r.stdout).toContain('template qsm.channel : Channel<Bytes>');
    expect(r.stdout).toMatch(/param key: a value of type Bytes \(optional\)/);
    expect(r.stdout).toContain('object liveobjects.registry : Folder<Name, Object>');
  });
});

describe('liveobjects check on an invitation', () => {
  it('says what it is and how to use it, and names what is wrong with a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-check-'));
    const good = join(dir, 'team.liveobject');
    writeFileSync(good, writeInvitation(newWorkspace('Design')));
    const broken = join(dir, 'broken.liveobject');
    writeFileSync(
      broken,
      writeInvitation(newWorkspace('Design')).replace(/(<value type="bytes">)[^<]*/, '$1AAAA'),
    );
    const r = await runCli('check', good, broken);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      `${good}: ok (an invitation to the workspace "Design": open it in the app or run \`liveobjects join ${good}\`)`,
    ]);
    expect(lines(r.stderr)).toEqual([
      `${broken} is not a valid invitation: the workspace key must be 32 bytes, not 3; ask a member for a new one`,
    ]);
  });
});
