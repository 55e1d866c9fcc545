import { describe, expect, it } from 'vitest';
import type { Events } from '../../src-shared/bridge/protocol';
import type { Runtime } from '../runtime/runtime';
import { HostCore, REPEAT_QUIET_MS } from './core';
import type { HostSession } from './session';

/** A session that only records the errors it is sent. */
function recordingSession(): { session: HostSession; errors: Events['error'][] } {
  const errors: Events['error'][] = [];
  const session = {
    emit: (event: string, data: unknown) => {
      if (event === 'error') errors.push(data as Events['error']);
    },
  } as unknown as HostSession;
  return { session, errors };
}

describe('HostCore.objectError', () => {
  const core = new HostCore({} as Runtime, 'node-1', 'Alice', undefined, () => {});

  it('shows an object error where the object is open, and to every session when none has it', () => {
    const a = recordingSession();
    const b = recordingSession();
    const untrack = core.track('k1', a.session, 'h-1');
    core.objectError('k1', 'disk full', [a.session, b.session], 0);
    expect(a.errors).toEqual([{ handle: 'h-1', message: 'disk full' }]);
    expect(b.errors).toEqual([]);
    untrack();
    core.objectError(undefined, 'a group failed', [a.session, b.session], 0);
    expect(b.errors).toEqual([{ message: 'a group failed' }]);
  });

  it('shows the same error of the same object once per quiet period, then with the repeats counted', () => {
    const a = recordingSession();
    for (let i = 0; i < 50; i++) core.objectError(undefined, 'bad update', [a.session], 1000 + i);
    core.objectError(undefined, 'another error', [a.session], 1100);
    expect(a.errors.map((e) => e.message)).toEqual(['bad update', 'another error']);
    core.objectError(undefined, 'bad update', [a.session], 1000 + REPEAT_QUIET_MS);
    expect(a.errors.at(-1)?.message).toBe('bad update (49 more times since it was last shown)');
  });
});
