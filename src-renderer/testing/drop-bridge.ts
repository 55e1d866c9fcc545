// A FakeBridge for drop tests: `checkDrop` answers `verdict`, `create` mints `c-<template>`,
// `act` and `close` succeed; refusals are collected.
import type { OpenedObject } from '../../src-shared/bridge/protocol';
import { FakeBridge } from './fake-bridge';

export function created(kind: OpenedObject['kind'], handle: string): OpenedObject {
  return {
    handle,
    kind,
    title: `New ${kind}`,
    reference: `<liveobject>${handle}</liveobject>`,
    type: 'UI',
    private: true,
  };
}

export function dropBridge(verdict: { ok: true } | { ok: false; reason: string } = { ok: true }): {
  bridge: FakeBridge;
  refusals: string[];
  refuse: (reason: string) => void;
} {
  const bridge = new FakeBridge({
    checkDrop: () => verdict,
    act: () => null,
    create: ({ template }) => created(template, `c-${template}`),
    close: () => null,
  });
  const refusals: string[] = [];
  return { bridge, refusals, refuse: (r: string) => refusals.push(r) };
}
