// The script every benchmark page gets (`addInitScript`), as a string so the page receives it
// verbatim (tsx's transforms would add helpers that do not exist in the page). It exposes
// `window.__lobench`:
//   keydowns[]      wall time of each printable keydown (capture phase, before the editor sees it)
//   observe()       starts recording appear[i]: when the editor's text first got i+1 characters
//                   more than when observe() was called (MutationObserver, before paint)
//   readyAt         when the page first showed `waitText` in an editable note editor
//                   (and a desktop, if `needDesktop`); set by a MutationObserver on the document
// Times are `performance.timeOrigin + performance.now()`, comparable across processes.
/** `waitText`: text whose appearance (in an editable editor) makes the page "ready". */
export function pageScript(waitText: string | null, needDesktop: boolean): string {
  return `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const B = (window.__lobench = { keydowns: [], appear: [], readyAt: null, waitText: ${JSON.stringify(waitText)}, needDesktop: ${String(needDesktop)} });
  addEventListener('keydown', (e) => { if (e.key.length === 1) B.keydowns.push(now()); }, true);
  const SKIP = '.cm-ySelectionInfo, .cm-ySelectionCaret, .cm-placeholder, .cm-widgetBuffer, [contenteditable="false"]';
  B.editor = () => document.querySelector('[data-testid="note-editor"]');
  B.text = (el) => {
    let s = '';
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const p = n.parentElement;
      if (p && p !== el && p.closest(SKIP)) continue;
      s += n.data;
    }
    return s;
  };
  B.length = () => { const el = B.editor(); return el ? B.text(el).length : -1; };
  B.observe = () => {
    const el = B.editor();
    if (!el) return false;
    const base = B.text(el).length;
    B.appear = [];
    const check = () => {
      const t = now();
      const n = B.text(el).length - base;
      while (B.appear.length < n) B.appear.push(t);
    };
    if (B.mo) B.mo.disconnect();
    B.mo = new MutationObserver(check);
    B.mo.observe(el, { childList: true, subtree: true, characterData: true });
    return true;
  };
  const visible = (el) => !!el && el.getClientRects().length > 0;
  const checkReady = () => {
    if (B.readyAt !== null || B.waitText === null) return;
    const ed = B.editor();
    if (!visible(ed) || ed.getAttribute('contenteditable') !== 'true') return;
    if (B.needDesktop && !visible(document.querySelector('[data-testid="desktop"]'))) return;
    if (!B.text(ed).includes(B.waitText)) return;
    B.readyAt = now();
  };
  const start = () => {
    new MutationObserver(checkReady).observe(document.documentElement, {
      childList: true, subtree: true, characterData: true, attributes: true,
    });
  };
  if (document.documentElement) start(); else addEventListener('DOMContentLoaded', start);
})();`;
}
