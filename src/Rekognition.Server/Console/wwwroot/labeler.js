// The labelling canvas: image-level labels and bounding boxes (draw, move, resize, delete, relabel), keyboard first.
import { setChildren, api, h, q, projectName } from './api.js';

const HANDLE = 8; // px on screen
const COLOURS = ['#0b5cad', '#b42318', '#067647', '#b54708', '#6941c6', '#c11574', '#027a9b', '#4e5ba6', '#a15c07'];

export async function labelerView(main, params, ui) {
  const dataset = params.get('dataset');
  const sourceRef = params.get('ref');
  ui.crumbs(['Projects', '#/'], [projectName(dataset), '#/dataset?' + q({ arn: dataset })], [sourceRef.split('/').pop()]);
  const [entry, { labels: labelSet }] = await Promise.all([api('entry?' + q({ dataset, ref: sourceRef })), api('labels?' + q({ dataset }))]);
  const names = labelSet.map((l) => l.name);
  for (const n of [...entry.labels.map((l) => l.name), ...entry.boxes.map((b) => b.label)]) if (!names.includes(n)) names.push(n);
  const state = {
    revision: entry.revision,
    labels: new Set(entry.labels.map((l) => l.name)),
    boxes: entry.boxes.map((b) => ({ ...b })),
    selected: -1,
    current: names[0] || '',
    single: false,
    dirty: false,
  };

  const image = new Image();
  image.alt = '';
  image.src = '/console/api/image?' + q({ dataset, ref: sourceRef });
  await image.decode();
  const canvas = h('canvas', { width: image.naturalWidth, height: image.naturalHeight, tabindex: '0', role: 'img',
    'aria-label': `Image ${sourceRef} with its boxes; drag to draw a box` });
  const ctx = canvas.getContext('2d');
  const labelList = h('fieldset', {}, h('legend', {}, 'Image labels'));
  const boxList = h('ul', { class: 'boxes', 'aria-label': 'Boxes' });
  const currentSelect = h('select', { id: 'current-label', 'aria-label': 'Label for new boxes' }, names.map((n, i) => h('option', { value: n }, `${i + 1}. ${n}`)));
  const saveButton = h('button', { type: 'button', class: 'primary', id: 'save' }, 'Save');
  const info = h('p', { class: 'muted', id: 'entry-state' });

  const gallery = JSON.parse(sessionStorage.getItem('rk-gallery') || '{}');
  const refs = gallery.dataset === dataset ? gallery.refs || [] : [];
  const at = refs.indexOf(sourceRef);
  const go = (d) => { const r = refs[at + d]; if (r) location.hash = '#/label?' + q({ dataset, ref: r }); };

  function markDirty() { state.dirty = true; info.textContent = `Revision ${state.revision} · unsaved changes`; }
  function colour(name) { return COLOURS[Math.max(0, names.indexOf(name)) % COLOURS.length]; }

  function draw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0);
    const lw = Math.max(2, canvas.width / 300);
    state.boxes.forEach((b, i) => {
      ctx.lineWidth = i === state.selected ? lw * 2 : lw;
      ctx.strokeStyle = colour(b.label);
      ctx.strokeRect(b.left, b.top, b.width, b.height);
      ctx.fillStyle = colour(b.label);
      ctx.font = `${Math.max(12, canvas.width / 40)}px system-ui`;
      ctx.fillText(b.label, b.left + 2, Math.max(12, b.top - 4));
      if (i === state.selected) {
        const s = HANDLE * scale();
        for (const [x, y] of corners(b)) ctx.fillRect(x - s / 2, y - s / 2, s, s);
      }
    });
  }

  function renderLists() {
    setChildren(labelList, h('legend', {}, 'Image labels'),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'single-label', checked: state.single, onchange: (e) => { state.single = e.target.checked; } }), 'One label per image'),
      ...names.map((n, i) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'image-label', value: n, checked: state.labels.has(n), onchange: (e) => toggleLabel(n, e.target.checked) }),
        `${n}`, i < 9 ? h('kbd', {}, String(i + 1)) : null)));
    setChildren(boxList, ...state.boxes.map((b, i) => h('li', { class: i === state.selected ? 'selected' : '' },
      h('button', { type: 'button', onclick: () => { state.selected = i; refresh(); } }, `Box ${i + 1}`),
      h('select', { 'aria-label': `Label of box ${i + 1}`, onchange: (e) => { b.label = e.target.value; markDirty(); refresh(); } },
        names.map((n) => h('option', { value: n, selected: n === b.label }, n))),
      h('span', { class: 'muted' }, `${b.left},${b.top} ${b.width}×${b.height}`),
      h('button', { type: 'button', class: 'danger', 'aria-label': `Delete box ${i + 1}`, onclick: () => { state.boxes.splice(i, 1); state.selected = -1; markDirty(); refresh(); } }, '✕'))));
    currentSelect.value = state.current;
  }

  function refresh() { draw(); renderLists(); }

  function toggleLabel(name, on) {
    if (on && state.single) state.labels.clear();
    if (on) state.labels.add(name); else state.labels.delete(name);
    markDirty();
    renderLists();
  }

  const scale = () => canvas.width / canvas.getBoundingClientRect().width;
  const point = (e) => { const r = canvas.getBoundingClientRect(); const s = canvas.width / r.width; return [(e.clientX - r.left) * s, (e.clientY - r.top) * (canvas.height / r.height)]; };
  const corners = (b) => [[b.left, b.top], [b.left + b.width, b.top], [b.left, b.top + b.height], [b.left + b.width, b.top + b.height]];
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  let drag = null;

  canvas.addEventListener('pointerdown', (e) => {
    const [x, y] = point(e);
    canvas.setPointerCapture(e.pointerId);
    const s = HANDLE * scale();
    if (state.selected >= 0) {
      const b = state.boxes[state.selected];
      const c = corners(b).findIndex(([cx, cy]) => Math.abs(cx - x) <= s && Math.abs(cy - y) <= s);
      if (c >= 0) { drag = { mode: 'resize', corner: c, box: b, anchor: corners(b)[3 - c] }; return; }
    }
    const hit = state.boxes.findLastIndex((b) => x >= b.left && x <= b.left + b.width && y >= b.top && y <= b.top + b.height);
    if (hit >= 0) { state.selected = hit; const b = state.boxes[hit]; drag = { mode: 'move', box: b, dx: x - b.left, dy: y - b.top }; refresh(); return; }
    if (!state.current) { ui.alert('Add a label to the dataset first (Labels on the dataset page), then draw boxes with it.'); return; }
    const box = { label: state.current, left: Math.round(x), top: Math.round(y), width: 0, height: 0 };
    state.boxes.push(box);
    state.selected = state.boxes.length - 1;
    drag = { mode: 'draw', box, anchor: [x, y] };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const [x0, y0] = point(e);
    const x = clamp(x0, 0, canvas.width), y = clamp(y0, 0, canvas.height);
    const b = drag.box;
    if (drag.mode === 'move') {
      b.left = Math.round(clamp(x - drag.dx, 0, canvas.width - b.width));
      b.top = Math.round(clamp(y - drag.dy, 0, canvas.height - b.height));
    } else {
      const [ax, ay] = drag.anchor;
      b.left = Math.round(Math.min(ax, x)); b.top = Math.round(Math.min(ay, y));
      b.width = Math.round(Math.abs(x - ax)); b.height = Math.round(Math.abs(y - ay));
    }
    draw();
  });
  canvas.addEventListener('pointerup', () => {
    if (!drag) return;
    const b = drag.box;
    if (drag.mode === 'draw' && (b.width < 3 || b.height < 3)) { state.boxes.pop(); state.selected = -1; }
    else markDirty();
    drag = null;
    refresh();
  });

  async function save() {
    saveButton.disabled = true;
    try {
      const boxes = state.boxes.map(({ label, left, top, width, height }) => ({ label, left, top, width, height }));
      const saved = await api('entry', { method: 'POST', body: { dataset, sourceRef, revision: state.revision, labels: [...state.labels], boxes } });
      state.revision = saved.revision;
      state.dirty = false;
      info.textContent = `Revision ${state.revision} · saved`;
      ui.status('Saved.');
    } catch (err) { ui.alert(err.message); } finally { saveButton.disabled = false; }
  }

  async function reject() {
    try {
      const saved = await api('entry/reject', { method: 'POST', body: { dataset, sourceRef, revision: state.revision } });
      state.revision = saved.revision; state.labels.clear(); state.boxes = []; state.selected = -1; state.dirty = false;
      info.textContent = `Revision ${state.revision} · labels rejected, back in the unlabelled queue`;
      refresh();
    } catch (err) { ui.alert(err.message); }
  }

  function onKey(e) {
    if (!document.body.contains(canvas)) { document.removeEventListener('keydown', onKey); return; }
    if (e.target.matches('input[type=text], input:not([type]), textarea, select')) return;
    const b = state.boxes[state.selected];
    if ((e.key === 's' && (e.ctrlKey || e.metaKey)) || (e.key === 's' && !e.ctrlKey && !e.metaKey && !e.altKey)) { e.preventDefault(); save(); }
    else if (/^[1-9]$/.test(e.key) && names[+e.key - 1]) {
      state.current = names[+e.key - 1];
      if (b) { b.label = state.current; markDirty(); }
      refresh();
    } else if (e.key === 'l') toggleLabel(state.current, !state.labels.has(state.current));
    else if ((e.key === 'Delete' || e.key === 'Backspace') && b) { e.preventDefault(); state.boxes.splice(state.selected, 1); state.selected = -1; markDirty(); refresh(); }
    else if (e.key === 'Escape') { state.selected = -1; refresh(); }
    else if (e.key === 'Tab' && document.activeElement === canvas && state.boxes.length) { e.preventDefault(); state.selected = (state.selected + (e.shiftKey ? -1 + state.boxes.length : 1)) % state.boxes.length; refresh(); }
    else if (b && e.key.startsWith('Arrow')) {
      e.preventDefault();
      const d = e.shiftKey ? 10 : 1;
      const [dx, dy] = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] }[e.key];
      if (e.altKey) { b.width = Math.max(3, b.width + dx); b.height = Math.max(3, b.height + dy); }
      else { b.left = clamp(b.left + dx, 0, canvas.width - b.width); b.top = clamp(b.top + dy, 0, canvas.height - b.height); }
      markDirty(); refresh();
    } else if (e.key === 'n') go(1);
    else if (e.key === 'p') go(-1);
    else if (e.key === 'r') reject();
  }
  document.addEventListener('keydown', onKey);
  currentSelect.addEventListener('change', () => { state.current = currentSelect.value; });

  info.textContent = `Revision ${state.revision}` + (entry.machine ? ' · suggested by a model, not reviewed' : '') + (entry.errors.length ? ' · errors: ' + entry.errors.join(', ') : '');
  setChildren(main, 
    h('h1', {}, 'Label ', h('span', { class: 'muted' }, sourceRef)),
    h('div', { class: 'labeler' },
      h('div', {}, h('div', { class: 'canvas-wrap' }, canvas), info),
      h('aside', {},
        h('p', {}, saveButton, ' ', h('button', { type: 'button', id: 'reject', onclick: reject }, 'Reject labels'), ' ',
          h('button', { type: 'button', onclick: () => go(-1), disabled: at <= 0 }, '‹ Previous'), ' ',
          h('button', { type: 'button', onclick: () => go(1), disabled: at < 0 || at >= refs.length - 1 }, 'Next ›')),
        labelList,
        h('h2', {}, 'Boxes'),
        h('label', {}, 'Label for new boxes', currentSelect),
        boxList,
        h('p', { class: 'keys' }, h('kbd', {}, 'S'), ' save · ', h('kbd', {}, '1'), '–', h('kbd', {}, '9'), ' choose label (relabels the selected box) · ',
          h('kbd', {}, 'L'), ' toggle it as image label · ', h('kbd', {}, 'Del'), ' delete box · ', h('kbd', {}, 'Tab'), ' next box · arrows move (', h('kbd', {}, 'Alt'), ' resizes, ',
          h('kbd', {}, 'Shift'), ' ×10) · ', h('kbd', {}, 'N'), '/', h('kbd', {}, 'P'), ' next/previous image · ', h('kbd', {}, 'R'), ' reject'))));
  saveButton.addEventListener('click', save);
  refresh();
  canvas.focus();
}
