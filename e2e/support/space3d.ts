// Support for the 3D end-to-end spec: the renderer's read-only hook `window.__liveobjects3d`
// (docs/renderer.md, "3D views") called through `page.evaluate`, typed by the renderer's own
// LiveObjects3DDebug.
import type { Page } from '@playwright/test';
import type { LiveObjects3DDebug } from '../../src-renderer/views/spatial/debug-hook';
import type { ShownObject } from '../../src-renderer/views/spatial/scene-registry';
import { waitFor } from '../../testing/wait';

export type { ShownObject as ShownObject3D } from '../../src-renderer/views/spatial/scene-registry';
export type { Vec3 } from '../../src-shared/spatial/vec';

/** Waits on the hook: as long as Playwright's expect, polled gently (SwiftShader is busy). */
export const HOOK_WAIT = { timeout: 30_000, interval: 100 } as const;

type Member = Exclude<keyof LiveObjects3DDebug, 'version'>;
type Result<K extends Member> = ReturnType<LiveObjects3DDebug[K]>;

/** `member(...args)` of the page's hook; undefined while the page has no hook. */
function callHook<K extends Member>(
  page: Page,
  member: K,
  ...args: Parameters<LiveObjects3DDebug[K]>
): Promise<Result<K> | undefined> {
  return page.evaluate(
    ({ member, args }) => {
      const hook = (window as unknown as { __liveobjects3d?: Record<string, (...a: unknown[]) => unknown> })
        .__liveobjects3d;
      return hook?.[member]?.(...args);
    },
    { member, args: args as unknown[] },
  ) as Promise<Result<K> | undefined>;
}

export async function objects3d(page: Page): Promise<ShownObject[]> {
  return (await callHook(page, 'objects')) ?? [];
}

export async function poses3d(page: Page): Promise<Result<'poses'>> {
  return (await callHook(page, 'poses')) ?? {};
}

/** `streamPoses(atMs)`: every streamed handle's track poses at `atMs` (default: now). */
export async function streamPoses3d(page: Page, atMs?: number): Promise<Result<'streamPoses'>> {
  return (
    (await (atMs === undefined ? callHook(page, 'streamPoses') : callHook(page, 'streamPoses', atMs))) ?? {}
  );
}

export async function cameras3d(page: Page): Promise<Result<'cameras'>> {
  return (await callHook(page, 'cameras')) ?? {};
}

export function project3d(
  page: Page,
  ...args: Parameters<LiveObjects3DDebug['project']>
): Promise<Result<'project'>> {
  return callHook(page, 'project', ...args);
}

/** Waits until the spaces of `page` show an object matching `match`; returns it. */
export function waitForObject(
  page: Page,
  what: string,
  match: (o: ShownObject) => boolean,
): Promise<ShownObject> {
  return waitFor(what, async () => (await objects3d(page)).find(match), HOOK_WAIT);
}
