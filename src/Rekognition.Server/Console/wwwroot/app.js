// The console: a hash router over plain views. Each view reads the JSON API and builds semantic HTML.
import { setChildren, api, ApiError, h, q, projectName, versionName, pct, when } from './api.js';
import { labelerView } from './labeler.js';
import { versionView } from './version.js';
import { reviewView } from './review.js';
import { retrainingSection } from './retraining.js';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
const alertBox = document.getElementById('alert');
const statusBox = document.getElementById('status');
const signOut = document.getElementById('sign-out');
let timers = [];

export const ui = {
  alert(message) { alertBox.textContent = message; alertBox.hidden = false; },
  status(message) { statusBox.textContent = message; },
  every(ms, fn) { timers.push(setInterval(fn, ms)); },
  crumbs(...items) { setChildren(crumbs, ...items.map(([text, href]) => h('li', {}, href ? h('a', { href }, text) : h('span', { 'aria-current': 'page' }, text)))); },
};

async function route() {
  timers.forEach(clearInterval); timers = [];
  alertBox.hidden = true; statusBox.textContent = '';
  const [path, query] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(query || '');
  try {
    const session = await api('session');
    signOut.hidden = !(session.requiresSignIn && session.signedIn);
    if (session.requiresSignIn && !session.signedIn) return signInView();
    const view = { '/': projectsView, '/project': projectView, '/dataset': datasetView, '/label': labelerView, '/version': versionView, '/review': reviewView }[path];
    if (!view) { setChildren(main, h('h1', {}, 'No such page'), h('p', {}, h('a', { href: '#/' }, 'Projects'))); return; }
    await view(main, params, ui);
    document.title = (main.querySelector('h1')?.textContent || 'Console') + ' · Rekognition console';
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return signInView();
    setChildren(main, h('h1', {}, 'Something went wrong'));
    ui.alert(err.message);
  }
}

function signInView() {
  ui.crumbs(['Sign in']);
  const form = h('form', { class: 'inline', id: 'sign-in' },
    h('label', {}, 'Access key', h('input', { name: 'accessKeyId', required: true, autocomplete: 'username' })),
    h('label', {}, 'Secret', h('input', { name: 'secretAccessKey', type: 'password', required: true, autocomplete: 'current-password' })),
    h('button', { class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    try { await api('session', { method: 'POST', body: data }); route(); } catch (err) { ui.alert(err.message); }
  });
  setChildren(main, h('h1', {}, 'Sign in'), h('p', {}, 'This server has credentials: sign in with its access key and secret.'), form);
  form.querySelector('input').focus();
}

signOut.addEventListener('click', async () => { await api('session', { method: 'DELETE' }); route(); });

// A form whose submit runs fn(values) and then re-renders the page, showing errors in words.
export function action(form, fn) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      // A message the action returns is shown after the view is drawn again (drawing clears the status).
      const message = await fn(Object.fromEntries(new FormData(form)), e.submitter);
      await route();
      if (typeof message === 'string') ui.status(message);
    }
    catch (err) { ui.alert(err.message); }
    finally { if (button) button.disabled = false; }
  });
  return form;
}

async function projectsView() {
  ui.crumbs(['Projects']);
  const { projects } = await api('projects');
  setChildren(main, 
    h('h1', {}, 'Projects'),
    action(h('form', { class: 'inline', id: 'create-project' },
      h('label', {}, 'New project name', h('input', { name: 'name', required: true })),
      h('button', { class: 'primary' }, 'Create project')),
      (v) => api('projects', { method: 'POST', body: { name: v.name } })),
    projects.length === 0 ? h('p', { class: 'muted' }, 'No projects yet.') :
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Project'), h('th', {}, 'Type'), h('th', {}, 'Datasets'), h('th', {}, 'Created'))),
        h('tbody', {}, projects.map((p) => h('tr', {},
          h('td', {}, h('a', { href: '#/project?' + q({ arn: p.arn }) }, projectName(p.arn))),
          h('td', {}, p.feature || ''),
          h('td', {}, p.datasets.map((d) => h('span', { class: 'pill' }, `${d.type} ${d.status}`))),
          h('td', {}, when(p.created)))))));
}

async function projectView(main, params) {
  const arn = params.get('arn');
  ui.crumbs(['Projects', '#/'], [projectName(arn)]);
  const [{ projects }, { versions }] = await Promise.all([api('projects'), api('versions?' + q({ project: arn }))]);
  const project = projects.find((p) => p.arn === arn);
  if (!project) throw new Error('The project does not exist (any more).');
  const datasets = await Promise.all(project.datasets.map((d) => api('dataset?' + q({ arn: d.arn })).then((x) => ({ ...d, ...x }))));
  const missing = ['TRAIN', 'TEST'].filter((t) => !datasets.some((d) => d.type === t));
  if (project.datasets.some((d) => d.status.endsWith('IN_PROGRESS')) || versions.some((v) => v.status.endsWith('IN_PROGRESS') || v.status === 'STARTING' || v.status === 'STOPPING')) ui.every(2000, () => route());
  sessionStorage.setItem('rk-project', JSON.stringify({ arn, datasets: project.datasets }));
  setChildren(main, 
    h('h1', {}, projectName(arn)),
    h('h2', {}, 'Datasets'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Dataset', 'Status', 'Images', 'Labelled', 'Errors', 'Labels', 'Export', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, datasets.map((d) => h('tr', {},
        h('td', {}, h('a', { href: '#/dataset?' + q({ arn: d.arn, project: arn }) }, d.type)),
        h('td', {}, d.status, h('div', { class: 'muted' }, d.statusMessage || '')),
        h('td', { class: 'num' }, d.total ?? ''), h('td', { class: 'num' }, d.labeled ?? ''), h('td', { class: 'num' }, d.errors ?? ''), h('td', { class: 'num' }, d.labels ?? ''),
        h('td', {}, h('a', { href: '/console/api/export?' + q({ dataset: d.arn }), download: 'dataset.manifest' }, 'Manifest'), ' · ',
          h('a', { href: '/console/api/export?' + q({ dataset: d.arn, format: 'coco' }), download: 'dataset.coco.json' }, 'COCO')),
        h('td', {}, action(h('form', {}, h('button', { class: 'danger', 'aria-label': `Delete the ${d.type} dataset` }, 'Delete')),
          () => (confirm(`Delete the ${d.type} dataset?`) ? api('datasets/delete', { method: 'POST', body: { arn: d.arn } }) : null))))))),
    missing.length === 0 ? null : action(h('form', { class: 'inline', id: 'create-dataset' },
      h('label', {}, 'Type', h('select', { name: 'type' }, missing.map((t) => h('option', {}, t)))),
      h('label', {}, 'Ground Truth manifest (empty for an empty dataset)', h('input', { name: 'manifest', placeholder: 's3://bucket/train.manifest', size: 40 })),
      h('button', { class: 'primary' }, 'Create dataset')),
      (v) => api('datasets', { method: 'POST', body: { project: arn, type: v.type, manifest: v.manifest } })),
    h('h2', {}, 'Models'),
    versions.length === 0 ? h('p', { class: 'muted' }, 'No model versions yet.') :
      h('table', { id: 'versions' }, h('thead', {}, h('tr', {}, ['Version', 'Status', 'F1', 'Units', 'Created', 'Run'].map((t) => h('th', {}, t)))),
        h('tbody', {}, versions.map((v) => h('tr', {},
          h('td', {}, h('a', { href: '#/version?' + q({ project: arn, arn: v.arn }) }, versionName(v.arn))),
          h('td', {}, v.status, h('div', { class: 'muted' }, v.statusMessage || '')),
          h('td', { class: 'num' }, v.f1 == null ? '–' : v.f1.toFixed(3)),
          h('td', { class: 'num' }, v.minUnits ?? ''),
          h('td', {}, when(v.created)),
          h('td', {}, runControls(v)))))),
    action(h('form', { class: 'inline', id: 'train' },
      h('label', {}, 'Version name', h('input', { name: 'name', required: true, value: 'v' + (versions.length + 1) })),
      h('label', {}, 'Output bucket', h('input', { name: 'outputBucket', required: true, value: 'training-output' })),
      h('label', {}, 'Output prefix', h('input', { name: 'outputPrefix', value: projectName(arn) + '/' })),
      h('button', { class: 'primary' }, 'Train a version')),
      (v) => api('versions', { method: 'POST', body: { project: arn, ...v } })),
    versions.length === 0 ? null : retrainingSection(arn, ui, route));
}

function runControls(v) {
  if (v.status === 'RUNNING') {
    return action(h('form', {}, h('button', {}, 'Stop')), () => api('versions/stop', { method: 'POST', body: { arn: v.arn } }));
  }
  if (v.status === 'TRAINING_COMPLETED' || v.status === 'STOPPED') {
    return action(h('form', { class: 'inline' }, h('label', {}, 'Units', h('input', { name: 'units', type: 'number', min: 1, value: 1, size: 3 })), h('button', {}, 'Start')),
      (f) => api('versions/start', { method: 'POST', body: { arn: v.arn, minUnits: +f.units } }));
  }
  return '';
}

async function datasetView(main, params) {
  const arn = params.get('arn');
  const project = params.get('project');
  ui.crumbs(['Projects', '#/'], [projectName(arn), '#/project?' + q({ arn: project })], [arn.includes('/dataset/test/') ? 'Test dataset' : 'Training dataset']);
  const [d, { labels }] = await Promise.all([api('dataset?' + q({ arn })), api('labels?' + q({ dataset: arn }))]);
  const filters = { label: params.getAll('label'), labeled: params.get('labeled') || '', errors: params.get('errors') || '', contains: params.get('contains') || '' };
  const list = h('ul', { class: 'gallery', id: 'gallery', 'aria-label': 'Images' });
  const sentinel = h('div', { class: 'sentinel' });
  const counter = h('p', { class: 'muted', id: 'shown' });
  const refs = [];
  let token = null, loading = false, done = false;
  const perPage = () => { const cols = Math.max(1, Math.floor(main.clientWidth / 180)); const rows = Math.ceil(window.innerHeight / 200) + 1; return Math.min(100, Math.max(12, cols * rows)); };

  async function more() {
    if (loading || done) return;
    loading = true;
    try {
      const page = await api('entries?' + q({ dataset: arn, labeled: filters.labeled, errors: filters.errors, contains: filters.contains, token, limit: perPage() })
        + filters.label.map((l) => '&label=' + encodeURIComponent(l)).join(''));
      for (const e of page.entries) {
        refs.push(e.sourceRef);
        list.append(h('li', {}, h('a', { href: '#/label?' + q({ dataset: arn, ref: e.sourceRef }) },
          h('img', { src: '/console/api/thumbnail?' + q({ dataset: arn, ref: e.sourceRef }), alt: `${e.sourceRef}: ${[...e.labels.map((l) => l.name), ...e.boxes.map((b) => b.label)].join(', ') || 'unlabelled'}`, loading: 'lazy', width: 160, height: 140 }),
          h('div', {}, e.labels.map((l) => h('span', { class: 'pill' + (e.machine ? ' machine' : '') }, l.name)),
            e.boxes.length ? h('span', { class: 'pill' }, `${e.boxes.length} box${e.boxes.length > 1 ? 'es' : ''}`) : null,
            e.errors.map((c) => h('span', { class: 'pill bad' }, c))),
          h('div', { class: 'ref' }, e.sourceRef.split('/').pop()))));
      }
      sessionStorage.setItem('rk-gallery', JSON.stringify({ dataset: arn, refs }));
      token = page.nextToken; done = !token;
      counter.textContent = `${refs.length} shown` + (done ? '' : ' · scroll for more');
    } catch (err) { ui.alert(err.message); done = true; } finally { loading = false; }
    if (!done && sentinel.getBoundingClientRect().top < window.innerHeight) more();
  }

  const filterForm = h('form', { class: 'inline', id: 'filters', role: 'search' },
    h('label', {}, 'Labels', h('select', { name: 'label', multiple: true, size: Math.min(4, Math.max(2, labels.length)) }, labels.map((l) => h('option', { selected: filters.label.includes(l.name) }, l.name)))),
    h('label', {}, 'Labelled', h('select', { name: 'labeled' }, [['', 'any'], ['true', 'labelled'], ['false', 'unlabelled']].map(([v, t]) => h('option', { value: v, selected: filters.labeled === v }, t)))),
    h('label', {}, 'Errors', h('select', { name: 'errors' }, [['', 'any'], ['true', 'with errors'], ['false', 'without errors']].map(([v, t]) => h('option', { value: v, selected: filters.errors === v }, t)))),
    h('label', {}, 'Source-ref contains', h('input', { name: 'contains', value: filters.contains })),
    h('button', {}, 'Filter'));
  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(filterForm);
    location.hash = '#/dataset?' + q({ arn, project, labeled: f.get('labeled'), errors: f.get('errors'), contains: f.get('contains') }) + f.getAll('label').map((l) => '&label=' + encodeURIComponent(l)).join('');
  });

  const labelOptions = labels.map((l) => h('option', {}, l.name));
  setChildren(main, 
    h('h1', {}, projectName(arn), ' · ', arn.includes('/dataset/test/') ? 'test' : 'training', ' dataset'),
    h('p', { id: 'progress' }, `${d.total ?? 0} images · ${d.labeled ?? 0} labelled · ${(d.total ?? 0) - (d.labeled ?? 0)} unlabelled · ${d.errors ?? 0} with errors · ${d.status}`),
    h('div', { class: 'layout' },
      h('section', { 'aria-label': 'Gallery' }, filterForm, counter, list, sentinel),
      h('aside', {},
        h('h2', {}, 'Labels'),
        h('table', { id: 'labels' }, h('thead', {}, h('tr', {}, h('th', {}, 'Label'), h('th', { class: 'num' }, 'Images'), h('th', { class: 'num' }, 'Boxes'))),
          h('tbody', {}, labels.map((l) => h('tr', {}, h('td', {}, l.name), h('td', { class: 'num' }, l.entries), h('td', { class: 'num' }, l.boxes))))),
        action(h('form', { class: 'inline', id: 'add-label' }, h('label', {}, 'New label', h('input', { name: 'name', required: true })), h('button', {}, 'Add')),
          (v) => api('labels', { method: 'POST', body: { dataset: arn, name: v.name } })),
        action(h('form', { class: 'inline', id: 'rename-label' }, h('label', {}, 'Rename', h('select', { name: 'label' }, labelOptions.map((o) => o.cloneNode(true)))),
          h('label', {}, 'to', h('input', { name: 'newName', required: true })), h('button', {}, 'Rename')),
          (v) => api('labels/rename', { method: 'POST', body: { dataset: arn, ...v } })),
        action(h('form', { class: 'inline', id: 'merge-labels' }, h('label', {}, 'Merge', h('select', { name: 'label' }, labelOptions.map((o) => o.cloneNode(true)))),
          h('label', {}, 'into', h('select', { name: 'into' }, labelOptions.map((o) => o.cloneNode(true)))), h('button', {}, 'Merge')),
          (v) => api('labels/merge', { method: 'POST', body: { dataset: arn, ...v } })),
        action(h('form', { class: 'inline', id: 'delete-label' }, h('label', {}, 'Delete unused label', h('select', { name: 'label' }, labelOptions.map((o) => o.cloneNode(true)))),
          h('button', { class: 'danger' }, 'Delete')),
          (v) => api('labels/delete', { method: 'POST', body: { dataset: arn, ...v } })),
        h('h2', {}, 'Export'),
        h('p', {}, h('a', { href: '/console/api/export?' + q({ dataset: arn }), download: 'dataset.manifest' }, 'Ground Truth manifest'), ' · ',
          h('a', { href: '/console/api/export?' + q({ dataset: arn, format: 'coco' }), download: 'dataset.coco.json' }, 'COCO JSON')),
        h('h2', {}, 'Assisted labelling'),
        action(h('form', { class: 'inline', id: 'prelabel' }, h('label', {}, 'Running version ARN', h('input', { name: 'version', required: true, size: 30 })), h('button', {}, 'Pre-label unlabelled images')),
          async (v) => { const r = await api('prelabel', { method: 'POST', body: { dataset: arn, version: v.version } }); return `${r.preLabeled} images pre-labelled, ${r.withoutSuggestion} without a suggestion.`; }),
        h('p', {}, h('a', { href: '#/dataset?' + q({ arn, project, labeled: 'false' }) }, 'Unlabelled queue'), ' · ',
          h('a', { href: '#/review?' + q({ dataset: arn, project }) }, 'Review pre-labels')))));
  new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) more(); }, { rootMargin: '200px' }).observe(sentinel);
  await more();
}

export { api, h, q };
window.addEventListener('hashchange', route);
route();
