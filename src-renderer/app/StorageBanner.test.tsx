// The storage banner rendered to markup (the renderer's tests run in node, without a DOM).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StorageBannerView } from './StorageBanner';

describe('StorageBanner', () => {
  it('is shown while the host cannot save, naming why and how much is held, and not otherwise', () => {
    expect(renderToStaticMarkup(<StorageBannerView status={undefined} />)).toBe('');
    const html = renderToStaticMarkup(
      <StorageBannerView
        status={{
          state: 'failing',
          unsaved: 3,
          message: 'the disk is full (writing to /home/ann/lo/state)',
          since: '2026-01-01T00:00:00.000Z',
        }}
      />,
    );
    expect(html).toContain('data-testid="storage-banner"');
    expect(html).toContain('role="alert"');
    expect(html).toContain(
      'Changes cannot be saved to disk: the disk is full (writing to /home/ann/lo/state).',
    );
    expect(html).toContain('The unsaved state of 3 objects is kept in memory');
    expect(renderToStaticMarkup(<StorageBannerView status={{ state: 'ok', unsaved: 0 }} />)).toBe('');
  });
});
