import { describe, expect, it } from 'vitest';
import { consent, consentAnswer, createConsentStore } from './consent';

const LIB = { url: 'https://example.org/a.js', sha256: 'a'.repeat(64) };
const OTHER = { url: 'https://example.org/b.js', sha256: 'b'.repeat(64) };

describe('consent store', () => {
  it('keeps one request per library with every object that needs it, until the host answers', () => {
    const store = createConsentStore();
    store.getState().request({ ...LIB, neededBy: 'Plan', decision: 'ask' });
    store.getState().request({ ...LIB, neededBy: 'Notes', decision: 'ask' });
    store.getState().request({ ...LIB, neededBy: 'Plan', decision: 'ask' });
    store.getState().request({ ...OTHER, neededBy: 'Plan', decision: 'ask' });
    expect(store.getState().requests).toEqual([
      { ...LIB, neededBy: ['Plan', 'Notes'] },
      { ...OTHER, neededBy: ['Plan'] },
    ]);
    // Forgetting an answer keeps the request; an answer removes it. Both count as decisions.
    store.getState().decided({ ...LIB, answer: 'ask' });
    expect(store.getState().requests).toHaveLength(2);
    store.getState().decided({ ...LIB, answer: 'deny' });
    expect(store.getState().requests).toEqual([{ ...OTHER, neededBy: ['Plan'] }]);
    expect(store.getState().decisions).toBe(2);
  });

  it('resolves consentAnswer with the next answer about that library only', async () => {
    consent.getState().decided({ ...LIB, answer: 'deny' });
    const answer = consentAnswer(LIB);
    consent.getState().decided({ ...OTHER, answer: 'ask' });
    consent.getState().decided({ ...LIB, answer: 'allow' });
    await expect(answer).resolves.toBe('allow');
  });
});
