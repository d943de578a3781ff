// A project's retraining loop: the policy (triggers, alias, on/off), where it stands, a check on demand and the promotions decided.
import { setChildren, api, h, q, versionName, when } from './api.js';

const num = (v) => (v === '' || v === undefined || v === null ? null : +v);

export function retrainingSection(project, ui, refresh) {
  const box = h('section', { 'aria-label': 'Retraining', id: 'retraining' }, h('h2', {}, 'Retraining'), h('p', { class: 'muted' }, 'Loading…'));
  api('retraining?' + q({ project })).then(({ policy, promotions }) => {
    const p = policy || { alias: 'production', enabled: true, minNewLabeledImages: 50, minNewFeedbackItems: null, scheduleMinutes: null };
    const form = h('form', { class: 'inline', id: 'retraining-policy' },
      h('label', {}, 'Alias', h('input', { name: 'alias', required: true, value: p.alias, size: 12 })),
      h('label', {}, 'New labelled images', h('input', { name: 'minNewLabeledImages', type: 'number', min: 1, value: p.minNewLabeledImages ?? '', size: 6 })),
      h('label', {}, 'New reviewed feedback', h('input', { name: 'minNewFeedbackItems', type: 'number', min: 1, value: p.minNewFeedbackItems ?? '', size: 6 })),
      h('label', {}, 'Every (minutes)', h('input', { name: 'scheduleMinutes', type: 'number', min: 1, value: p.scheduleMinutes ?? '', size: 6 })),
      h('label', {}, h('input', { name: 'enabled', type: 'checkbox', checked: p.enabled }), 'On'),
      h('button', { class: 'primary' }, 'Save policy'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = new FormData(form);
      try {
        await api('retraining', { method: 'POST', body: {
          project, alias: f.get('alias'), enabled: f.get('enabled') === 'on',
          minNewLabeledImages: num(f.get('minNewLabeledImages')), minNewFeedbackItems: num(f.get('minNewFeedbackItems')), scheduleMinutes: num(f.get('scheduleMinutes')),
        } });
        await refresh(); // a new render clears the status line: say it after
        ui.status('Retraining policy saved.');
      } catch (err) { ui.alert(err.message); }
    });
    const check = h('form', { class: 'inline', id: 'retraining-check' }, h('button', {}, 'Check now'));
    check.addEventListener('submit', async (e) => {
      e.preventDefault();
      try { const { outcome } = await api('retraining/check', { method: 'POST', body: { project } }); await refresh(); ui.status(outcome); }
      catch (err) { ui.alert(err.message); }
    });
    setChildren(box, h('h2', {}, 'Retraining'),
      h('p', { class: 'muted' }, 'Trains a new version when a trigger is reached; the alias moves to it only when its F1 (mAP for detectors) on the same test set is at least the current version\'s.'),
      form,
      policy ? h('p', { id: 'retraining-state' },
        `${policy.enabled ? 'On' : 'Off'} · ${policy.newLabeledImages} new labelled images · ${policy.newFeedbackItems} new reviewed feedback items · last training ${when(policy.lastTraining)}`,
        policy.training ? ` · training ${versionName(policy.training)}` : '',
        policy.lastOutcome ? h('div', { class: 'muted' }, 'Last: ' + policy.lastOutcome) : '') : h('p', { class: 'muted' }, 'No policy yet.'),
      policy ? check : null,
      h('h3', {}, 'Promotions'),
      promotions.length === 0 ? h('p', { class: 'muted' }, 'No promotion decided yet.') :
        h('table', { id: 'promotions' }, h('thead', {}, h('tr', {}, ['When', 'Alias', 'New version', 'Previous version', 'Metric', 'New score', 'Previous score', 'Promoted', 'Why'].map((t) => h('th', {}, t)))),
          h('tbody', {}, promotions.map((d) => h('tr', {}, h('td', {}, when(d.time)), h('td', {}, d.alias), h('td', {}, versionName(d.candidate)),
            h('td', {}, d.previous ? versionName(d.previous) : '–'), h('td', {}, d.metric), h('td', { class: 'num' }, d.candidateScore.toFixed(3)),
            h('td', { class: 'num' }, d.previousScore == null ? '–' : d.previousScore.toFixed(3)), h('td', {}, d.promoted ? 'yes' : 'no'), h('td', {}, d.reason))))));
  }).catch((err) => setChildren(box, h('h2', {}, 'Retraining'), h('p', { class: 'muted' }, 'Unavailable: ' + err.message)));
  return box;
}
