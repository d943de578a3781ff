// A model version: live training progress, its running hours (billing), its evaluation (per label and per image) and the quick test.
import { setChildren, api, h, q, projectName, versionName, pct, when } from './api.js';

const OUTCOMES = ['TRUE_POSITIVE', 'FALSE_POSITIVE', 'FALSE_NEGATIVE', 'TRUE_NEGATIVE'];

export async function versionView(main, params, ui) {
  const project = params.get('project');
  const arn = params.get('arn');
  ui.crumbs(['Projects', '#/'], [projectName(project), '#/project?' + q({ arn: project })], [versionName(arn)]);
  const { versions } = await api('versions?' + q({ project }));
  const v = versions.find((x) => x.arn === arn);
  if (!v) throw new Error('The version does not exist (any more).');
  const training = v.status === 'TRAINING_IN_PROGRESS';
  if (training || v.status === 'STARTING' || v.status === 'STOPPING') ui.every(2000, async () => {
    const now = (await api('versions?' + q({ project }))).versions.find((x) => x.arn === arn);
    if (!now || now.status !== v.status) { window.dispatchEvent(new HashChangeEvent('hashchange')); return; }
    document.getElementById('version-status').textContent = `${now.status}: ${now.statusMessage || ''}`;
  });

  const sections = [
    h('h1', {}, versionName(arn)),
    h('p', { id: 'version-status', role: 'status' }, `${v.status}: ${v.statusMessage || ''}`),
    training ? h('progress', { class: 'progress', 'aria-label': 'Training' }) : null,
    h('p', { class: 'muted' }, `Created ${when(v.created)}` + (v.trainingEnd ? ` · trained ${when(v.trainingEnd)}` : '') + (v.billableTrainingSeconds ? ` · ${v.billableTrainingSeconds} s billable training` : '')),
  ];
  sections.push(await billingSection(arn));
  if (v.f1 != null) {
    sections.push(await evaluationSection(arn, ui));
    sections.push(quickTestSection(arn, ui));
  }
  setChildren(main, ...sections.filter(Boolean));
}

async function evaluationSection(arn, ui) {
  const e = await api('evaluation?' + q({ version: arn }));
  const datasets = JSON.parse(sessionStorage.getItem('rk-project') || '{}').datasets || [];
  const test = datasets.find((d) => d.type === 'TEST')?.arn, train = datasets.find((d) => d.type === 'TRAIN')?.arn;
  const labels = [...new Set([...e.labels.map((l) => l.label), ...e.images.flatMap((i) => i.outcomes.map((o) => o.label))])];
  const results = h('ul', { class: 'results', id: 'results', 'aria-label': 'Test images' });
  const filter = h('form', { class: 'inline', id: 'outcome-filter' },
    h('label', {}, 'Label', h('select', { name: 'label' }, h('option', { value: '' }, 'any'), labels.map((l) => h('option', {}, l)))),
    h('label', {}, 'Outcome', h('select', { name: 'outcome' }, h('option', { value: '' }, 'any'), OUTCOMES.map((o) => h('option', { value: o }, o.replace('_', ' ').toLowerCase())))));

  function show() {
    const f = new FormData(filter);
    const label = f.get('label'), outcome = f.get('outcome');
    const shown = e.images.filter((i) => i.outcomes.some((o) => (!label || o.label === label) && (!outcome || o.outcome === outcome))
      || (!outcome && label && i.groundTruth.includes(label)) || (!label && !outcome));
    setChildren(results, ...shown.slice(0, 60).map((i) => imageResult(i, test, train, label, outcome)));
    ui.status(`${shown.length} test images match` + (shown.length > 60 ? ' (first 60 shown)' : ''));
  }
  filter.addEventListener('change', show);
  show();

  return h('section', { 'aria-label': 'Evaluation' },
    h('h2', {}, 'Evaluation on the test set'),
    h('p', {}, `F1 ${e.f1.toFixed(3)} · precision ${pct(e.precision)} · recall ${pct(e.recall)}`),
    h('table', { id: 'label-figures' }, h('thead', {}, h('tr', {}, ['Label', 'Test images', 'Threshold', 'Precision', 'Recall', 'F1'].map((t) => h('th', { class: t === 'Label' ? '' : 'num' }, t)))),
      h('tbody', {}, e.labels.map((l) => h('tr', {}, h('td', {}, l.label), h('td', { class: 'num' }, l.testImages), h('td', { class: 'num' }, l.threshold.toFixed(3)),
        h('td', { class: 'num' }, pct(l.precision)), h('td', { class: 'num' }, pct(l.recall)), h('td', { class: 'num' }, l.f1.toFixed(3)))))),
    curvesSection(arn),
    h('h2', {}, 'Per image'), filter, results);
}

// Precision-recall curves, computed by running the model on the test images again (loaded after the page).
function curvesSection(arn) {
  const box = h('div', { id: 'curves', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Computing the precision-recall curves…'));
  api('curves?' + q({ version: arn })).then(({ curves }) => setChildren(box, curves.map((c) => curveFigure(c))))
    .catch((err) => setChildren(box, h('p', { class: 'muted' }, 'No curves: ' + err.message)));
  return h('section', { 'aria-label': 'Precision-recall curves' }, h('h2', {}, 'Precision-recall curves'), box);
}

function curveFigure(curve) {
  const ns = 'http://www.w3.org/2000/svg';
  const size = 200, pad = 28;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size + pad * 2} ${size + pad * 2}`);
  svg.setAttribute('width', size + pad * 2);
  svg.setAttribute('class', 'pr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Precision-recall curve of ${curve.label}`);
  const el = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text) e.textContent = text; svg.append(e); return e; };
  el('rect', { x: pad, y: pad, width: size, height: size, fill: 'none', stroke: '#d5dbe1' });
  el('text', { x: pad + size / 2, y: size + pad * 2 - 4, 'text-anchor': 'middle', 'font-size': 11 }, 'recall');
  el('text', { x: 10, y: pad + size / 2, 'text-anchor': 'middle', 'font-size': 11, transform: `rotate(-90 10 ${pad + size / 2})` }, 'precision');
  const pts = [[0, 1], ...curve.points.map(([, p, r]) => [r, p])];
  el('polyline', { fill: 'none', stroke: '#0b5cad', 'stroke-width': 2, points: pts.map(([r, p]) => `${pad + r * size},${pad + (1 - p) * size}`).join(' ') });
  const rows = curve.points.map(([t, p, r]) => h('tr', {}, h('td', { class: 'num' }, t.toFixed(3)), h('td', { class: 'num' }, pct(p)), h('td', { class: 'num' }, pct(r))));
  return h('figure', { class: 'curve' }, svg, h('figcaption', {}, curve.label),
    h('details', {}, h('summary', {}, 'Points'), h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Threshold'), h('th', {}, 'Precision'), h('th', {}, 'Recall'))), h('tbody', {}, rows))));
}

function imageResult(image, test, train, label, outcome) {
  const img = h('img', { alt: image.sourceRef, src: '/console/api/image?' + q({ dataset: test || train, ref: image.sourceRef }) });
  if (test && train) img.addEventListener('error', () => { if (!img.dataset.retried) { img.dataset.retried = '1'; img.src = '/console/api/image?' + q({ dataset: train, ref: image.sourceRef }); } }, { once: false });
  const wrap = h('div', { class: 'overlay' }, img);
  const items = image.outcomes.filter((o) => (!label || o.label === label) && (!outcome || o.outcome === outcome));
  img.addEventListener('load', () => {
    const place = (box, cls, text) => {
      const [l, t, w, hh] = box;
      wrap.append(h('div', { class: 'box ' + cls, style: `left:${(l / img.naturalWidth) * 100}%;top:${(t / img.naturalHeight) * 100}%;width:${(w / img.naturalWidth) * 100}%;height:${(hh / img.naturalHeight) * 100}%` },
        h('span', {}, h('b', {}, text))));
    };
    for (const o of items) if (o.box) place(o.box, o.outcome, `${o.label} ${(o.confidence * 100).toFixed(0)}`);
  });
  return h('li', {}, wrap,
    h('div', { class: 'ref' }, image.sourceRef.split('/').pop(), ' · ground truth: ', image.groundTruth.join(', ') || 'none'),
    h('div', {}, items.map((o) => h('span', { class: 'pill ' + o.outcome }, `${o.label} ${o.outcome.replace('_', ' ').toLowerCase()} ${(o.confidence * 100).toFixed(1)}`))));
}

// What the service bills for running the model: each interval it ran, as hours times inference units.
async function billingSection(arn) {
  const b = await api('billing?' + q({ version: arn }));
  const hours = (x) => x.toFixed(x > 0 && x < 0.01 ? 4 : 2); // a short run still shows
  return h('section', { 'aria-label': 'Billing' }, h('h2', {}, 'Running hours'),
    h('p', { id: 'billing-total' }, `${hours(b.inferenceHours)} inference hours (${hours(b.hours)} running hours)` + (b.running ? ' · running now' : '')),
    b.intervals.length === 0 ? h('p', { class: 'muted' }, 'This version has not run yet.') :
      h('table', { id: 'billing' }, h('thead', {}, h('tr', {}, ['Started', 'Stopped', 'Units', 'Hours', 'Inference hours'].map((t) => h('th', { class: t === 'Started' || t === 'Stopped' ? '' : 'num' }, t)))),
        h('tbody', {}, b.intervals.map((i) => h('tr', {}, h('td', {}, when(i.start)), h('td', {}, i.end ? when(i.end) : 'running'),
          h('td', { class: 'num' }, i.units), h('td', { class: 'num' }, hours(i.hours)), h('td', { class: 'num' }, hours(i.inferenceHours)))))));
}

function quickTestSection(arn, ui) {
  const input = h('input', { type: 'file', name: 'image', accept: 'image/png,image/jpeg', id: 'quick-test-file' });
  const out = h('div', { id: 'quick-test-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline', id: 'quick-test' }, h('label', {}, 'Image', input), h('button', { class: 'primary' }, 'Test'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = input.files[0];
    if (!file) { ui.alert('Choose an image first.'); return; }
    try {
      const { labels } = await api('quicktest?' + q({ version: arn }), { method: 'POST', raw: file });
      const img = h('img', { alt: file.name, src: URL.createObjectURL(file) });
      const wrap = h('div', { class: 'overlay' }, img);
      for (const l of labels) if (l.box) wrap.append(h('div', { class: 'box TRUE_POSITIVE', style: `left:${l.box[0] * 100}%;top:${l.box[1] * 100}%;width:${l.box[2] * 100}%;height:${l.box[3] * 100}%` }, h('span', {}, h('b', {}, l.name))));
      setChildren(out, wrap, labels.length === 0 ? h('p', {}, 'No label above its threshold.') :
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Label'), h('th', { class: 'num' }, 'Confidence'))),
          h('tbody', {}, labels.map((l) => h('tr', {}, h('td', {}, l.name), h('td', { class: 'num' }, l.confidence.toFixed(1) + ' %'))))));
    } catch (err) { ui.alert(err.message); }
  });
  return h('section', { 'aria-label': 'Quick test' }, h('h2', {}, 'Quick test'),
    h('p', { class: 'muted' }, 'Labels an image with this version in a temporary session, without starting it.'), form, out);
}
