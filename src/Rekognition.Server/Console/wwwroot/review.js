// Reviewing a model's pre-labels: most uncertain first, accepted (saved as human labels) or rejected (unlabelled again).
import { setChildren, api, h, q, projectName } from './api.js';

export async function reviewView(main, params, ui) {
  const dataset = params.get('dataset');
  const project = params.get('project');
  const order = params.get('order') || 'least';
  ui.crumbs(['Projects', '#/'], [projectName(dataset), '#/project?' + q({ arn: project })], ['Dataset', '#/dataset?' + q({ arn: dataset, project })], ['Review']);
  const { entries, progress } = await api('review?' + q({ dataset, order }));
  sessionStorage.setItem('rk-gallery', JSON.stringify({ dataset, refs: entries.map((e) => e.sourceRef) }));

  const decide = async (entry, accept, item) => {
    try {
      if (accept) {
        await api('entry', { method: 'POST', body: { dataset, sourceRef: entry.sourceRef, revision: entry.revision, labels: entry.labels.map((l) => l.name),
          boxes: entry.boxes.map(({ label, left, top, width, height }) => ({ label, left, top, width, height })) } });
      } else {
        await api('entry/reject', { method: 'POST', body: { dataset, sourceRef: entry.sourceRef, revision: entry.revision } });
      }
      item.remove();
      ui.status(`${entry.sourceRef.split('/').pop()} ${accept ? 'accepted' : 'rejected'}.`);
      // The counts move with each decision; an emptied queue says so.
      setChildren(progressRow, ...counts((await api('review?' + q({ dataset, order }))).progress));
      if (!main.querySelector('#review-queue li')) setChildren(queueBox, empty());
    } catch (err) { ui.alert(err.message); }
  };

  const orderForm = h('form', { class: 'inline', id: 'review-order' }, h('label', {}, 'Order', h('select', { name: 'order' },
    h('option', { value: 'least', selected: order === 'least' }, 'least confident first'),
    h('option', { value: 'margin', selected: order === 'margin' }, 'smallest margin first'))));
  orderForm.addEventListener('change', () => { location.hash = '#/review?' + q({ dataset, project, order: new FormData(orderForm).get('order') }); });

  const counts = (p) => [p.total, p.labeled, p.unlabeled, p.preLabeled, p.reviewed].map((n) => h('td', { class: 'num' }, n));
  const empty = () => h('p', { class: 'muted' }, 'Nothing waits for review: pre-label the unlabelled images with a running version on the dataset page.');
  const progressRow = h('tr', {}, counts(progress));
  const queueBox = h('div', {});
  setChildren(main,
    h('h1', {}, 'Review pre-labels'),
    h('table', { id: 'review-progress' }, h('thead', {}, h('tr', {}, ['Images', 'Labelled', 'Unlabelled', 'Pre-labelled', 'Reviewed'].map((t) => h('th', { class: 'num' }, t)))),
      h('tbody', {}, progressRow)),
    orderForm,
    queueBox);
  setChildren(queueBox, entries.length === 0 ? empty() :
    h('ul', { class: 'gallery', id: 'review-queue', 'aria-label': 'Pre-labelled images' }, entries.map((e) => {
      const item = h('li', {},
        h('a', { href: '#/label?' + q({ dataset, ref: e.sourceRef }) },
          h('img', { src: '/console/api/thumbnail?' + q({ dataset, ref: e.sourceRef }), alt: e.sourceRef, loading: 'lazy', width: 160, height: 140 }),
          h('div', {}, e.labels.map((l) => h('span', { class: 'pill machine' }, `${l.name} ${(l.confidence * 100).toFixed(0)} %`)),
            e.boxes.map((b) => h('span', { class: 'pill machine' }, `${b.label} ${(b.confidence * 100).toFixed(0)} %`)))),
        h('div', {}, h('button', { type: 'button', onclick: () => decide(e, true, item) }, 'Accept'), ' ',
          h('button', { type: 'button', class: 'danger', onclick: () => decide(e, false, item) }, 'Reject')));
      return item;
    })));
}
