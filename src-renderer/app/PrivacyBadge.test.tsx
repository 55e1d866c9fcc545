// The "Not private" badge rendered to markup (the renderer's tests run in node, without a DOM).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NOT_PRIVATE_TOOLTIP, PrivacyBadge } from './PrivacyBadge';

describe('PrivacyBadge', () => {
  it('marks an object without a key as not private, explaining who can read and change it', () => {
    const html = renderToStaticMarkup(<PrivacyBadge object={{ private: false }} />);
    expect(html).toContain('data-testid="not-private"');
    expect(html).toContain('>Not private<');
    expect(NOT_PRIVATE_TOOLTIP).toContain(
      'anyone on the workspace network who learns this object’s name can read and change it',
    );
    expect(html).toContain(`title="${NOT_PRIVATE_TOOLTIP}"`);
  });

  it('shows nothing for a private (sealed) object', () => {
    expect(renderToStaticMarkup(<PrivacyBadge object={{ private: true }} />)).toBe('');
  });
});
