// Support for the 3D end-to-end spec: the `window.__liveobjects3d` debug hook (docs/renderer.md,
// "3D views") read through `page.evaluate`.
import type { Page } from 'playwright-core';
import { waitFor } from './wait';

// --- the debug hook (shapes from src-renderer/views/spatial/debug-hook.ts) ---

export type Vec3 = [number, number, number];

export interface ShownObject3D {
  readonly space: string;
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly handle?: string;
  readonly position: Vec3;
}

export interface ShownPose3D {
  readonly position: Vec3;
  readonly mode: string;
  readonly callsign: string;
  readonly itemId?: string;
  readonly at: number;
}

export interface TrackPose3D {
  readonly track: number;
  readonly t: number;
  readonly position: Vec3;
  readonly velocity: Vec3;
  readonly mode: string;
}

export function objects3d(page: Page): Promise<ShownObject3D[]> {
  return page.evaluate(() => {
    const hook = (window as unknown as { __liveobjects3d?: { objects(): ShownObject3D[] } }).__liveobjects3d;
    return hook ? hook.objects() : [];
  });
}

export function poses3d(page: Page): Promise<Record<string, ShownPose3D>> {
  return page.evaluate(() => {
    const hook = (window as unknown as { __liveobjects3d?: { poses(): Record<string, ShownPose3D> } })
      .__liveobjects3d;
    return hook ? hook.poses() : {};
  });
}

/** `streamPoses(atMs)`: every streamed handle's track poses at `atMs` (default: now). */
export function streamPoses3d(page: Page, atMs?: number): Promise<Record<string, TrackPose3D[]>> {
  return page.evaluate((at) => {
    const hook = (
      window as unknown as {
        __liveobjects3d?: { streamPoses(atMs?: number): Record<string, TrackPose3D[]> };
      }
    ).__liveobjects3d;
    return hook ? hook.streamPoses(at ?? undefined) : {};
  }, atMs ?? null);
}

export function project3d(page: Page, view: string, point: Vec3): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ({ view, point }) => {
      const hook = (
        window as unknown as {
          __liveobjects3d?: { project(h: string, p: Vec3): { x: number; y: number } | undefined };
        }
      ).__liveobjects3d;
      return hook?.project(view, point) ?? null;
    },
    { view, point },
  );
}

/** Waits until the spaces of `page` show an object matching `match`; returns it. */
export function waitForObject(
  page: Page,
  what: string,
  match: (o: ShownObject3D) => boolean,
): Promise<ShownObject3D> {
  return waitFor(what, async () => (await objects3d(page)).find(match));
}
