// The connection area: a host started with an explicit --gms on loopback shows the interface
// it chose, the membership service and how it was found, and the other hosts as heard peers.
import { networkInterfaces } from 'node:os';
import { expect, test } from './support/harness';

/** The OS name of the loopback interface (`lo` on Linux). */
function loopbackName(): string {
  const entry = Object.entries(networkInterfaces()).find(([, addresses]) =>
    addresses?.some((a) => a.family === 'IPv4' && a.address === '127.0.0.1'),
  );
  return entry?.[0] ?? 'lo';
}

test.describe('the connection area', () => {
  test('shows the interface, the membership service given with --gms, and the peers', async ({ app }) => {
    const [ann] = await app.usersNamed('Ann', 'Ben');
    const page = ann.page;
    const summary = page.getByTestId('network-summary');
    // A single-machine setup that the user asked for (--gms on loopback) is no problem.
    await expect(summary).toHaveAttribute('data-state', 'ok');
    await expect(summary).toContainText('127.0.0.1');
    await summary.click();
    await expect(summary).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByRole('dialog', { name: 'Network' });
    await expect(panel).toBeVisible();
    await expect(panel).toHaveAttribute('data-testid', 'network-panel');

    const iface = panel.getByTestId('network-interface');
    await expect(iface).toHaveAttribute('data-address', '127.0.0.1');
    await expect(iface).toHaveAttribute('data-name', loopbackName());
    const membership = panel.getByTestId('network-membership');
    await expect(membership).toHaveAttribute('data-address', app.cluster.gms.address);
    await expect(membership).toHaveAttribute('data-found-by', 'option');
    await expect(membership).toHaveAttribute('data-state', 'connected');
    await expect(membership).toContainText('given with --gms');
    await expect(panel.getByTestId('network-transport')).toHaveAttribute('data-transport', 'multicast');

    const peer = panel.getByTestId('network-peer');
    await expect(peer).toHaveCount(1);
    await expect(peer).toContainText('Ben');
    await expect(peer).toHaveAttribute('data-heard', 'true');
    await expect(panel.getByTestId('network-problem')).toHaveCount(0);

    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(summary).toHaveAttribute('aria-expanded', 'false');
  });
});
