import { describe, expect, it } from 'vitest';
import { isInvitation, readInvitation, writeInvitation } from './invitation';

const workspace = {
  id: '0123456789abcdef'.repeat(2),
  name: 'Design team',
  key: new Uint8Array(32).map((_, i) => i * 7),
};
const keyValue = /(<param name="key">\s*<value type="bytes">)[^<]*/;

describe('invitations', () => {
  it('round-trip the workspace id, name and key, and name no address', () => {
    const xml = writeInvitation(workspace);
    expect(readInvitation(xml)).toEqual(workspace);
    expect(isInvitation(xml)).toBe(true);
    expect(xml).toContain('<primitive id="liveobjects.workspace"/>');
    expect(xml).not.toMatch(/type="address"/);
    expect(xml).toContain('share it privately');
  });

  it('refuse a file without a key, or with a malformed one, saying what is wrong', () => {
    const xml = writeInvitation(workspace);
    expect(() =>
      readInvitation(xml.replace(/\s*<param name="key">.*?<\/param>/s, ''), 'team.liveobject'),
    ).toThrow("team.liveobject is not a valid invitation: it has no 'key'; ask a member for a new one");
    expect(() => readInvitation(xml.replace(keyValue, '$1AAAA'))).toThrow(
      'the workspace key must be 32 bytes, not 3',
    );
    expect(() => readInvitation(xml.replace(keyValue, '$1not base64!'))).toThrow(
      /not a valid invitation: .*base64/i,
    );
    expect(() => readInvitation(xml.replace('<value type="bytes">', '<value type="string">'))).toThrow(
      "its 'key' must be a bytes value",
    );
  });

  it('refuse a malformed id or name, and anything that is not the workspace object', () => {
    const xml = writeInvitation(workspace);
    expect(() => readInvitation(xml.replace(workspace.id, 'XYZ'))).toThrow('32 lower-case hex digits');
    expect(() => readInvitation(xml.replace('>Design team<', '> <'))).toThrow('non-empty');
    const other = xml.replace('liveobjects.workspace', 'liveobjects.note');
    expect(isInvitation(other)).toBe(false);
    expect(() => readInvitation(other)).toThrow('not the workspace object (liveobjects.workspace)');
    expect(isInvitation('<not xml')).toBe(false);
    expect(() => readInvitation('<not xml', 'x.liveobject')).toThrow(
      /^x\.liveobject is not a valid invitation: /,
    );
  });
});
