// Reading the connection area (the top bar's network summary and its panel) through its test ids
// (docs/renderer.md, "The connection area"), waiting the way Playwright's `expect` does.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** What a connection area should show; what is left out is not checked. */
export interface ExpectedNetwork {
  /** The workspace's name, and the one joined since the host started. */
  readonly workspace?: { readonly name?: string; readonly joined?: string };
  readonly interface?: { readonly name?: string; readonly address?: string };
  readonly membership?: {
    readonly address?: string;
    /** `option`, `registry`, `dns-sd`, `serving`, `took-over`, `merged`. */
    readonly foundBy?: string;
    readonly state?: string;
  };
  /** The summary's transport: `multicast`, `unicast`, `mixed`, `none`. */
  readonly transport?: string;
  /** Some region (or the whole summary) runs on unicast fan-out. */
  readonly unicastSomewhere?: boolean;
  /** Names of the peers, each heard. */
  readonly peers?: readonly string[];
  /** Kinds of the problems named, in any order. */
  readonly problems?: readonly string[];
}

/** Opens the connection area's panel (unless it is open) and returns it. */
export async function openNetworkPanel(page: Page): Promise<Locator> {
  const summary = page.getByTestId('network-summary');
  await expect(summary).toBeVisible();
  if ((await summary.getAttribute('aria-expanded')) !== 'true') await summary.click();
  const panel = page.getByTestId('network-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/** Waits until the connection area shows `expected`; the panel is closed again afterwards. */
export async function expectNetwork(page: Page, expected: ExpectedNetwork): Promise<void> {
  const panel = await openNetworkPanel(page);
  try {
    const workspace = panel.getByTestId('network-workspace');
    if (expected.workspace?.name !== undefined)
      await expect(workspace).toHaveAttribute('data-name', expected.workspace.name);
    if (expected.workspace?.joined !== undefined)
      await expect(workspace).toHaveAttribute('data-joined', expected.workspace.joined);
    const iface = panel.getByTestId('network-interface');
    if (expected.interface?.name !== undefined)
      await expect(iface).toHaveAttribute('data-name', expected.interface.name);
    if (expected.interface?.address !== undefined)
      await expect(iface).toHaveAttribute('data-address', expected.interface.address);
    const membership = panel.getByTestId('network-membership');
    for (const [key, attribute] of [
      ['address', 'data-address'],
      ['foundBy', 'data-found-by'],
      ['state', 'data-state'],
    ] as const) {
      const value = expected.membership?.[key];
      if (value !== undefined) await expect(membership).toHaveAttribute(attribute, value);
    }
    if (expected.transport !== undefined)
      await expect(panel.getByTestId('network-transport')).toHaveAttribute(
        'data-transport',
        expected.transport,
      );
    if (expected.unicastSomewhere) {
      const unicast = panel.locator(
        '[data-testid="network-transport"][data-transport="unicast"], ' +
          '[data-testid="network-region"][data-transport="unicast"]',
      );
      await expect(unicast.first(), 'a region on unicast fan-out').toBeVisible();
    }
    if (expected.peers !== undefined) {
      const peers = panel.getByTestId('network-peer');
      await expect(peers).toHaveCount(expected.peers.length);
      for (const name of expected.peers)
        await expect(peers.filter({ hasText: name })).toHaveAttribute('data-heard', 'true');
    }
    if (expected.problems !== undefined) {
      const kinds = panel.getByTestId('network-problem');
      await expect
        .poll(async () =>
          (await kinds.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') ?? ''))).sort(),
        )
        .toEqual([...expected.problems].sort());
    }
  } finally {
    await page.keyboard.press('Escape');
  }
}

/** What the connection area shows of the membership service now. */
export async function membershipShown(
  page: Page,
): Promise<{ address: string | null; foundBy: string | null; state: string | null }> {
  const panel = await openNetworkPanel(page);
  try {
    const membership = panel.getByTestId('network-membership');
    const [address, foundBy, state] = await Promise.all(
      ['data-address', 'data-found-by', 'data-state'].map((a) => membership.getAttribute(a)),
    );
    return { address: address ?? null, foundBy: foundBy ?? null, state: state ?? null };
  } finally {
    await page.keyboard.press('Escape');
  }
}
