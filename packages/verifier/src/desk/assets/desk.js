// The service desk page's script: plain browser JavaScript, no framework and no build step.
// Served by the desk router as /desk.js and loaded as a module (strict, deferred, its own scope).
// All texts come localised from the server (the JSON data block and the API's views), and every
// text is inserted as a text node, never as HTML.
const byId = (id) => document.getElementById(id);
const data = JSON.parse(byId('desk-data').textContent);
const { strings, lang, maxWaitSeconds } = data;

const form = byId('desk-form');
const startButton = byId('start');
const formError = byId('form-error');
const request = byId('request');
const requestHeading = byId('request-heading');
const qr = byId('request-qr');
const linkInput = byId('request-link');
const openLink = byId('request-open');
const copyButton = byId('copy-link');
const copyStatus = byId('copy-status');
const countdown = byId('request-countdown');
const waiting = byId('request-waiting');
const problem = byId('request-problem');
const result = byId('result');
const newCheck = byId('new-check');

// A link no QR code can hold (a request signed into it) gets an error instead of a picture: hide
// the broken image and say why, in the server's words; the link below still works.
qr.addEventListener('error', async () => {
  qr.hidden = true;
  try {
    const response = await fetch(qr.src, { headers: { accept: 'application/json' } });
    const body = await response.json();
    if (typeof body?.message === 'string') problem.textContent = body.message;
  } catch {
    // Nothing more to say than the missing picture.
  }
});

const minutesFormat = new Intl.NumberFormat(lang, { useGrouping: false });
const secondsFormat = new Intl.NumberFormat(lang, { minimumIntegerDigits: 2, useGrouping: false });

/** The transaction on screen: { id, deadline, controller, timer }, or null. */
let current = null;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const template = form.elements.namedItem('template').value;
  if (!template) {
    showFormError(strings.templateRequired);
    form.querySelector('input[name="template"]').focus();
    return;
  }
  showFormError('');
  startButton.disabled = true;
  startButton.textContent = strings.starting;
  try {
    const response = await fetch('api/transactions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ template, lang }),
      cache: 'no-store',
    });
    const body = await readJson(response);
    if (!response.ok || typeof body.id !== 'string') {
      showFormError(typeof body.message === 'string' ? body.message : strings.failedToStart);
      return;
    }
    begin(body);
  } catch {
    showFormError(strings.failedToStart);
  } finally {
    startButton.disabled = false;
    startButton.textContent = strings.start;
  }
});

copyButton.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(linkInput.value);
    copyStatus.textContent = strings.copied;
  } catch {
    linkInput.focus();
    linkInput.select();
    copyStatus.textContent = strings.copyFailed;
  }
});

linkInput.addEventListener('focus', () => linkInput.select());

newCheck.addEventListener('click', () => {
  stop();
  request.hidden = true;
  result.replaceChildren();
  newCheck.hidden = true;
  form.hidden = false;
  form.reset();
  form.querySelector('input[name="template"]').focus();
});

function begin(transaction) {
  stop();
  result.replaceChildren();
  form.hidden = true;
  request.hidden = false;
  newCheck.hidden = false;
  qr.hidden = false;
  qr.src = transaction.qrSvgUrl;
  linkInput.value = transaction.link;
  openLink.href = transaction.link;
  copyStatus.textContent = '';
  problem.textContent = '';
  waiting.hidden = false;
  // The server says how long is left; counting from here keeps a wrong client clock out of it.
  const seconds = Number.isFinite(transaction.expiresIn) ? transaction.expiresIn : 0;
  const tx = { id: transaction.id, deadline: performance.now() + seconds * 1000, controller: new AbortController(), timer: 0 };
  current = tx;
  tx.timer = setInterval(tick, 1000);
  tick();
  requestHeading.focus();
  poll(tx);
}

function stop() {
  if (current === null) return;
  clearInterval(current.timer);
  current.controller.abort();
  current = null;
}

function secondsLeft(tx) {
  return Math.max(0, Math.ceil((tx.deadline - performance.now()) / 1000));
}

function tick() {
  if (current === null) return;
  const left = secondsLeft(current);
  const time = `${minutesFormat.format(Math.floor(left / 60))}:${secondsFormat.format(left % 60)}`;
  countdown.textContent = strings.expiresIn.replace('{time}', time);
}

/** Long polling: each request waits on the server until the answer arrives or the wait runs out. */
async function poll(tx) {
  let failures = 0;
  while (current === tx) {
    const wait = Math.min(maxWaitSeconds, secondsLeft(tx) + 1);
    try {
      const url = `api/transactions/${encodeURIComponent(tx.id)}?wait=${wait}&lang=${encodeURIComponent(lang)}`;
      const response = await fetch(url, {
        signal: tx.controller.signal,
        cache: 'no-store',
        headers: { accept: 'application/json' },
      });
      const body = await readJson(response);
      if (current !== tx) return;
      if (response.status >= 500 || (!response.ok && typeof body.message !== 'string')) throw new Error('unavailable');
      if (!response.ok) {
        // The desk no longer knows the transaction: nothing will come; say why and stop.
        waiting.hidden = true;
        problem.textContent = body.message;
        clearInterval(tx.timer);
        return;
      }
      failures = 0;
      problem.textContent = '';
      if (body.outcome !== 'pending') {
        finish(tx, body);
        return;
      }
      if (wait <= 1) await sleep(1000, tx);
    } catch {
      if (current !== tx) return;
      failures += 1;
      problem.textContent = strings.connectionLost;
      await sleep(Math.min(10_000, 1000 * 2 ** Math.min(failures, 4)), tx);
    }
  }
}

function finish(tx, view) {
  const focusWasInRequest = request.contains(document.activeElement);
  if (current === tx) stop();
  request.hidden = true;
  result.replaceChildren(...renderView(view));
  newCheck.hidden = false;
  if (focusWasInRequest) byId('result-heading').focus();
}

function renderView(view) {
  const nodes = [element('h2', { id: 'result-heading', tabindex: '-1', class: `outcome outcome-${view.outcome}` }, view.title)];
  if (view.outcome === 'accepted') {
    for (const credential of view.credentials ?? []) nodes.push(renderCredential(credential));
    return nodes;
  }
  if (view.status) nodes.push(element('p', {}, statusBadge(view.status)));
  if (view.explanation) nodes.push(element('p', { class: 'explanation' }, view.explanation));
  if (view.errorCodeText) nodes.push(element('p', { class: 'error-code' }, view.errorCodeText));
  return nodes;
}

function renderCredential(credential) {
  const facts = element('dl', { class: 'facts' });
  addRow(
    facts,
    strings.issuer,
    element('span', { lang: credential.issuer.lang, dir: credential.issuer.dir }, credential.issuer.text),
  );
  addRow(facts, strings.credentialType, element('span', { dir: 'auto' }, credential.type));
  const status = [statusBadge(credential.status)];
  if (credential.status.checkedAt) status.push(' ', element('span', { class: 'checked-at' }, credential.status.checkedAt));
  addRow(facts, strings.status, ...status);
  const article = element('article', { class: 'credential' }, facts, element('h3', {}, strings.claims));
  if (credential.claims.length === 0) {
    article.append(element('p', {}, strings.noClaims));
  } else {
    const claims = element('dl', { class: 'claims' });
    for (const claim of credential.claims) addRow(claims, claim.label, element('span', { dir: 'auto' }, claim.value));
    article.append(claims);
  }
  return article;
}

function statusBadge(status) {
  return element('span', { class: `badge status-${status.code}` }, status.label);
}

function addRow(list, term, ...details) {
  list.append(element('dt', {}, term), element('dd', {}, ...details));
}

/** A DOM element; strings become text nodes, so nothing from the server is ever parsed as HTML. */
function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

function showFormError(text) {
  formError.textContent = text;
  formError.hidden = text === '';
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

function sleep(ms, tx) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    tx.controller.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
