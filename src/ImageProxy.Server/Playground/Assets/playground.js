// The ImageProxy playground. Controls come from GET /_imageproxy/parameters (the server's own parameter table), URLs
// are built with @imgix/js-core's encoding rules, and a typed token signs them here with md5.js: it is never sent.
'use strict';

const $ = (selector) => document.querySelector(selector);
const API = '/_imageproxy';

// --- URL building, as @imgix/js-core 3.x buildURL does (without ixlib) ---

function encodePath(path) {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (/^https?:\/\//.test(trimmed)) {
    return '/' + encodeURIComponent(trimmed);
  }
  return '/' + encodeURI(trimmed).replace(/#/g, '%23').replace(/\?/g, '%3F').replace(/:/g, '%3A').replace(/\+/g, '%2B');
}

function base64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function encodeQuery(params) {
  const pairs = params.map(([name, value]) =>
    `${encodeURIComponent(name)}=${name.endsWith('64') ? base64Url(value) : encodeURIComponent(value)}`);
  return pairs.length ? '?' + pairs.join('&') : '';
}

/** Path + query, signed when a token is given: s = md5(token + path + query), appended last. */
function buildUrl(path, params, token) {
  const encodedPath = encodePath(path);
  const query = encodeQuery(params);
  if (!token) return encodedPath + query;
  return encodedPath + query + (query ? '&s=' : '?s=') + md5(token + encodedPath + query);
}

// --- srcset rules (imgix-reference §6), the same as ImageProxy.Client's SrcsetBuilder ---

function targetWidths(min, max, tolerance) {
  const widths = [];
  for (let current = min; current < max; current *= 1 + tolerance * 2) widths.push(Math.round(current));
  if (!widths.length || widths[widths.length - 1] < max) widths.push(max);
  return widths;
}

const DPR_QUALITIES = { 1: 75, 2: 50, 3: 35, 4: 23, 5: 20 };

function withParam(params, name, value) {
  const copy = params.map((p) => [...p]);
  const existing = copy.find(([n]) => n === name);
  if (existing) existing[1] = value; else copy.push([name, value]);
  return copy;
}

function srcsetCandidates(path, params, token, maxWidth) {
  const fixed = params.some(([name]) => name === 'w' || name === 'h');
  if (fixed) {
    const q = params.find(([name]) => name === 'q');
    return [1, 2, 3, 4, 5].map((dpr) => ({
      descriptor: `${dpr}x`, value: dpr,
      url: buildUrl(path, withParam(withParam(params, 'dpr', String(dpr)), 'q', q ? q[1] : String(DPR_QUALITIES[dpr])), token),
    }));
  }
  return targetWidths(100, Math.max(100, maxWidth), 0.08).map((w) => ({
    descriptor: `${w}w`, value: w, url: buildUrl(path, withParam(params, 'w', String(w)), token),
  }));
}

// --- page state ---

const state = { sources: [], parameters: [], previewTimer: 0, afterAbort: null, beforeKey: '', sourceWidth: 0 };

function currentSource() {
  return state.sources.find((s) => s.name === $('#source').value);
}

function fullPath() {
  const source = currentSource();
  const key = $('#path').value.trim().replace(/^\/+/, '');
  if (!source || !key) return '';
  return (source.pathPrefix === '/' ? '' : source.pathPrefix) + '/' + key;
}

function currentParams() {
  return state.parameters
    .map((p) => [p.name, $(`#controls input[name="${p.name}"]`).value.trim()])
    .filter(([, value]) => value !== '');
}

function token() {
  return currentSource()?.signed ? $('#token').value : '';
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function buildControls() {
  const form = $('#controls');
  for (const p of state.parameters) {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = p.name;
    name.title = p.aliases.length ? `aliases: ${p.aliases.join(', ')}` : '';
    const input = document.createElement('input');
    input.name = p.name;
    input.placeholder = p.values;
    input.title = p.values;
    input.autocomplete = 'off';
    input.spellcheck = false;
    label.append(name, input);
    form.append(label);
  }
  form.addEventListener('input', update);
  form.addEventListener('submit', (e) => e.preventDefault());
}

function fillImages() {
  const source = currentSource();
  const list = $('#images');
  list.replaceChildren(...(source?.images ?? []).map((image) => Object.assign(document.createElement('option'), { value: image })));
  $('#token-label').hidden = !source?.signed;
}

function describe(target, parts) {
  target.replaceChildren(document.createTextNode(parts.filter(Boolean).join(' · ')));
}

function serverTotal(header) {
  const match = /total;dur=([\d.]+)/.exec(header || '');
  return match ? `server ${match[1]} ms` : '';
}

/** Fetches a URL, shows it in the figure and its facts in the caption; returns the decoded image. */
async function show(figure, url, signal) {
  const img = figure.querySelector('img');
  const info = figure.querySelector('.info');
  info.classList.remove('error');
  describe(info, ['loading…']);
  const started = performance.now();
  // The Accept an <img> request sends in Chromium, so auto=format negotiates what a page would get (fetch sends */*).
  const response = await fetch(url, { signal, headers: { Accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8' } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    info.classList.add('error');
    describe(info, [`${response.status}`, problem.title || problem.detail || response.statusText]);
    img.removeAttribute('src');
    figure.dataset.status = String(response.status);
    return null;
  }
  const blob = await response.blob();
  const elapsed = Math.round(performance.now() - started);
  const objectUrl = URL.createObjectURL(blob);
  const previous = img.src;
  img.src = objectUrl;
  await img.decode();
  if (previous.startsWith('blob:')) URL.revokeObjectURL(previous);
  figure.dataset.status = String(response.status);
  figure.dataset.width = String(img.naturalWidth);
  figure.dataset.height = String(img.naturalHeight);
  figure.dataset.type = response.headers.get('Content-Type') || '';
  describe(info, [
    (response.headers.get('Content-Type') || '').replace('image/', ''),
    `${img.naturalWidth}×${img.naturalHeight}`,
    `${blob.size.toLocaleString('en')} bytes`,
    response.headers.get('X-Cache'),
    serverTotal(response.headers.get('Server-Timing')),
    `fetch ${elapsed} ms`,
  ]);
  return img;
}

async function preview() {
  const path = fullPath();
  if (!path) return;
  if (currentSource()?.signed && !token()) {
    // Unsigned requests to a signed source are 403s: say what is missing instead of asking for them.
    for (const id of ['#before', '#after']) describe($(`${id} .info`), ['type the source\'s token to sign the URLs']);
    return;
  }
  state.afterAbort?.abort();
  const abort = new AbortController();
  state.afterAbort = abort;
  const signing = token();
  try {
    const beforeKey = path + '|' + signing;
    if (beforeKey !== state.beforeKey) {
      state.beforeKey = beforeKey;
      const before = await show($('#before'), buildUrl(path, [], signing), abort.signal);
      state.sourceWidth = before ? before.naturalWidth : 0;
      renderSrcset();
    }
    await show($('#after'), $('#url').textContent, abort.signal);
  } catch (error) {
    if (error.name !== 'AbortError') {
      const info = $('#after .info');
      info.classList.add('error');
      describe(info, [String(error.message || error)]);
    }
  }
}

function renderSrcset() {
  const path = fullPath();
  const body = $('#srcset tbody');
  if (!path || (currentSource()?.signed && !token())) {
    body.replaceChildren();
    $('#srcset-text').textContent = '';
    return;
  }
  const params = currentParams().filter(([name]) => name !== 'dpr');
  const candidates = srcsetCandidates(path, params, token(), state.sourceWidth || 8192);
  $('#srcset-text').textContent = candidates.map((c) => `${c.url} ${c.descriptor}`).join(',\n');
  const numbers = (text) => text.split(',').map(Number).filter((n) => n > 0);
  const fixed = candidates[0]?.descriptor.endsWith('x');
  const rows = [];
  for (const viewport of numbers($('#viewports').value)) {
    for (const dpr of numbers($('#dprs').value)) {
      const need = fixed ? dpr : viewport * dpr;
      const chosen = candidates.find((c) => c.value >= need) ?? candidates[candidates.length - 1];
      const row = document.createElement('tr');
      const thumb = Object.assign(document.createElement('img'), { src: chosen.url, alt: chosen.descriptor, loading: 'lazy' });
      const cells = [String(viewport), String(dpr), fixed ? '' : String(viewport * dpr), chosen.descriptor];
      row.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
      const imageCell = document.createElement('td');
      imageCell.append(thumb);
      row.append(imageCell);
      rows.push(row);
    }
  }
  body.replaceChildren(...rows);
}

function update() {
  const path = fullPath();
  const url = path ? buildUrl(path, currentParams(), token()) : '';
  $('#url').textContent = url;
  $('#open').href = url || '#';
  // The address bar keeps the image and parameters (never the token), so a view can be shared or reloaded.
  history.replaceState(null, '', '#' + (path ? path + encodeQuery(currentParams()) : ''));
  renderSrcset();
  clearTimeout(state.previewTimer);
  state.previewTimer = setTimeout(preview, 250);
}

function restoreFromHash() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash) return false;
  const [path, query = ''] = hash.split('?');
  const source = [...state.sources].sort((a, b) => b.pathPrefix.length - a.pathPrefix.length)
    .find((s) => s.pathPrefix === '/' || path.startsWith(s.pathPrefix + '/'));
  if (!source) return false;
  $('#source').value = source.name;
  fillImages();
  $('#path').value = source.pathPrefix === '/' ? path.slice(1) : path.slice(source.pathPrefix.length + 1);
  for (const pair of query.split('&').filter(Boolean)) {
    const [name, value = ''] = pair.split('=');
    const input = $(`#controls input[name="${name}"]`);
    if (input) input.value = value;
  }
  return true;
}

async function init() {
  const [parameters, sources] = await Promise.all([getJson(`${API}/parameters`), getJson(`${API}/playground/sources.json`)]);
  state.parameters = parameters;
  state.sources = sources.sources;
  buildControls();
  $('#source').replaceChildren(...state.sources.map((s) =>
    Object.assign(document.createElement('option'), { value: s.name, textContent: `${s.name} (${s.pathPrefix}${s.signed ? ', signed' : ''})` })));
  if (!restoreFromHash()) {
    const first = state.sources.find((s) => s.images.length) ?? state.sources[0];
    if (first) {
      $('#source').value = first.name;
      fillImages();
      $('#path').value = first.images[0] ?? '';
    }
  }
  $('#source').addEventListener('change', () => {
    fillImages();
    $('#path').value = currentSource()?.images[0] ?? '';
    update();
  });
  for (const id of ['#path', '#token']) $(id).addEventListener('input', update);
  for (const id of ['#viewports', '#dprs']) $(id).addEventListener('input', renderSrcset);
  document.body.dataset.ready = 'true';
  update();
}

init().catch((error) => {
  document.body.dataset.ready = 'error';
  const message = Object.assign(document.createElement('p'), { className: 'error', textContent: `The playground could not start: ${error.message}` });
  document.body.prepend(message);
});
