import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../registry';
import { RegistryConsent, givenConsent } from './consent';

const URL_A = 'https://example.org/a.js';
const A1 = 'a'.repeat(64);
const A2 = 'b'.repeat(64);

function registryPath(content?: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lo-consent-')), 'registry.json');
  if (content !== undefined) writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('library consent memory', () => {
  it('remembers allow and deny per URL and digest in registry.json, keeping its entries', () => {
    const entries = {
      Other: '<liveobject xmlns="urn:liveobjects:1" version="1"><primitive id="a.b"/></liveobject>',
    };
    const path = registryPath({ version: 1, entries });
    const consent = new RegistryConsent(path);
    expect(consent.decision(URL_A, A1)).toBeUndefined();
    consent.remember(URL_A, A1, 'allow');
    consent.remember(URL_A, A2.toUpperCase(), 'deny');
    // A fresh reader (another run of the host) sees the same answers.
    const again = new RegistryConsent(path);
    expect(again.decision(URL_A, A1)).toBe('allow');
    expect(again.decision(URL_A, A2)).toBe('deny');
    expect(again.decision('https://example.org/other.js', A1)).toBeUndefined();
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(json.entries).toEqual(entries);
    expect(json.libraries).toEqual({ [URL_A]: { [A1]: 'allow', [A2]: 'deny' } });
    // The registry itself still reads (its entries are unaffected by the new key).
    expect(loadRegistry(path).has('Other')).toBe(true);
  });

  it('forgets an answer so that the user is asked again, and tells listeners', () => {
    const path = registryPath();
    const consent = new RegistryConsent(path);
    const heard: unknown[] = [];
    consent.onDecided((e) => heard.push(e));
    consent.remember(URL_A, A1, 'deny');
    consent.remember(URL_A, A1, undefined);
    expect(consent.decision(URL_A, A1)).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, entries: {} });
    expect(heard).toEqual([
      { url: URL_A, sha256: A1, decision: 'deny' },
      { url: URL_A, sha256: A1, decision: undefined },
    ]);
  });

  it('lets a remembered answer win over consent given on the command line', () => {
    const path = registryPath({ version: 1, entries: {}, libraries: { [URL_A]: { [A1]: 'deny' } } });
    const consent = new RegistryConsent(path, givenConsent({ all: true }));
    expect(consent.decision(URL_A, A1)).toBe('deny');
    expect(consent.decision(URL_A, A2)).toBe('allow');
    expect(givenConsent({ urls: [URL_A] }).decision(URL_A, A2)).toBe('allow');
    expect(givenConsent({ urls: [URL_A] }).decision(`${URL_A}?x`, A2)).toBeUndefined();
  });

  it.each([
    [{ libraries: [] }, /"libraries": must be an object/],
    [{ libraries: { [URL_A]: 'allow' } }, /the value of "https:\/\/example.org\/a.js" must be an object/],
    [{ libraries: { [URL_A]: { [A1]: 'yes' } } }, /must be "allow" or "deny"/],
  ])('reports a malformed "libraries" value with the registry path: %j', (content, pattern) => {
    const path = registryPath({ version: 1, entries: {}, ...content });
    expect(() => new RegistryConsent(path).decision(URL_A, A1)).toThrow(pattern);
    expect(() => new RegistryConsent(path).decision(URL_A, A1)).toThrow(`registry ${path}: `);
  });
});
