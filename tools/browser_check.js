// Injected by tools/browser_check.py into a copy of a page: measures what a reader would see
// and writes it as JSON into a pre element (id browser-check), which the checker reads from
// chromium --dump-dom. The pages themselves have no scripts.
(function () {
  const doc = document.documentElement;
  const box = (e) => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top + scrollY, bottom: b.bottom + scrollY, width: b.width}; };
  const r = {inner_width: innerWidth, client_width: doc.clientWidth, scroll_width: doc.scrollWidth};
  // Anything reaching past the viewport that is not inside a horizontal scroll wrapper.
  r.sticking_out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const wrapper = e.closest('.scroll');
    if (wrapper && wrapper !== e) continue;
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
    const b = e.getBoundingClientRect();
    if (b.width > 0 && b.right > doc.clientWidth + 0.5) r.sticking_out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' right=' + Math.round(b.right));
  }
  // SVG text cut by its own SVG's edges (clipped tick labels, legends).
  r.clipped_text = [];
  for (const s of document.querySelectorAll('svg')) {
    const sb = s.getBoundingClientRect();
    for (const t of s.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      if (b.width === 0) continue;
      if (b.left < sb.left - 1 || b.right > sb.right + 1 || b.top < sb.top - 1 || b.bottom > sb.bottom + 1)
        r.clipped_text.push(t.textContent.slice(0, 40));
    }
  }
  // Per-layer panels: each plot's baseline (its x range) and how many marks it drew.
  r.panels = [...document.querySelectorAll('svg.layer-panel')].map((s) => ({
    layers: +s.dataset.layers,
    plots: [...s.querySelectorAll('g.plot')].map((g) => {
      const base = g.querySelector('line[stroke="#888"]');
      const b = base ? base.getBoundingClientRect() : {left: -1, right: -1};
      return {title: g.dataset.title, marks: g.querySelectorAll('.m').length, left: b.left, right: b.right};
    }),
    labels: s.querySelectorAll('g.labels text').length,
  }));
  r.scatters = [...document.querySelectorAll('svg.scatter')].map((s) => s.querySelectorAll('.pt').length);
  r.legends = document.querySelectorAll('.legend').length;
  const at = (sel) => { const e = document.querySelector(sel); return e ? box(e) : null; };
  r.fold = {verdict: at('.verdict'), headroom: at('.verdict b'), utilization: at('.card.utilization'),
            plots: [...document.querySelectorAll('svg.layer-panel g.plot')].map(box)};
  r.values = [...document.querySelectorAll('[data-k]')].map((e) => [e.dataset.k, +e.dataset.scale, e.textContent]);
  r.external = [...document.querySelectorAll('[src],[href],link')].map((e) => e.getAttribute('src') || e.getAttribute('href') || '')
                   .filter((u) => /^(https?:)?\/\//i.test(u));
  const pre = document.createElement('pre');
  pre.id = 'browser-check';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
})();
