// A FakeBridge for drop tests: `checkDrop` and `checkTemplateDrop` answer `verdict`, `create`
// mints `c-<template>`, `act` and `close` succeed; refusals (and their explanations) are collected.
import type { DropVerdict, OpenedObject } from '../../src-shared/bridge/protocol';
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

export function dropBridge(verdict: DropVerdict = { ok: true }): {
  bridge: FakeBridge;
  refusals: string[];
  whys: (string | undefined)[];
  refuse: (reason: string, why?: string) => void;
} {
  const bridge = new FakeBridge({
    checkDrop: () => verdict,
    checkTemplateDrop: () => verdict,
    act: () => null,
    create: ({ template }) => created(template, `c-${template}`),
    close: () => null,
  });
  const refusals: string[] = [];
  const whys: (string | undefined)[] = [];
  const refuse = (reason: string, why?: string): void => {
    refusals.push(reason);
    whys.push(why);
  };
  return { bridge, refusals, whys, refuse };
}
