import { describe, expect, it } from 'vitest';
import { LibraryUrlError, checkLibraryUrl, isLoopbackHost } from './url-policy';

describe('library URL policy', () => {
  it.each([
    'https://example.org/lib.js',
    'https://10.0.0.5:8443/lib.js?v=1',
    'http://127.0.0.1:8080/lib.js',
    'http://127.9.8.7/lib.js',
    'http://localhost:3000/lib.js',
    'http://[::1]:8080/lib.js',
    'HTTP://LOCALHOST/lib.js',
  ])('allows %s', (url) => {
    expect(checkLibraryUrl(url).href).toBeTruthy();
  });

  it.each([
    'file:///etc/passwd',
    'file://localhost/etc/passwd',
    '/etc/passwd',
    'lib.js',
    '../lib.js',
    'data:text/javascript,export default {}',
    'javascript:alert(1)',
    'blob:https://example.org/1',
    'ftp://example.org/lib.js',
    'ws://127.0.0.1/lib.js',
    'http://example.org/lib.js',
    'http://192.168.1.10/lib.js',
    'http://0.0.0.0/lib.js',
    'http://[::]/lib.js',
    'http://127.0.0.1.example.org/lib.js',
    'http://localhost.example.org/lib.js',
    'http://dev.localhost/lib.js',
    'https://user:secret@example.org/lib.js',
    '',
  ])('refuses %s with the one message', (url) => {
    expect(() => checkLibraryUrl(url)).toThrow(LibraryUrlError);
    expect(() => checkLibraryUrl(url)).toThrow(
      /refused: a library must be an https: URL \(or http: on this machine/,
    );
  });

  it('cuts a long URL in the message', () => {
    const url = `file:///${'a'.repeat(5000)}`;
    const message = (() => {
      try {
        checkLibraryUrl(url);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message.length).toBeLessThan(600);
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('::2')).toBe(false);
  });
});
