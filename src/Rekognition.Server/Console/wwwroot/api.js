// The console's JSON API: every change carries the console header (the server refuses changes without it).
export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(path, { method = 'GET', body, raw } = {}) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-Rekognition-Console'] = '1';
  if (raw !== undefined) { init.body = raw; init.headers['Content-Type'] = 'application/octet-stream'; }
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  const response = await fetch('/console/api/' + path, init);
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, data.code || 'Error', data.message || response.statusText);
  return data;
}

export const q = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();

// Replaces an element's children; arrays are flattened and null, undefined and false are skipped, as in h().
export function setChildren(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
}

// Builds an element; text children are always text nodes (never parsed as HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style') el.style.cssText = v; // CSSOM, which the console's CSP allows (a style attribute it would not)
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const projectName = (arn) => (arn || '').split(':project/')[1]?.split('/')[0] || arn;
export const versionName = (arn) => (arn || '').split('/version/')[1]?.split('/')[0] || arn;
export const pct = (x) => (x === undefined || x === null ? '–' : (x * 100).toFixed(1) + ' %');
export const when = (ms) => (ms ? new Date(ms).toLocaleString() : '–');
