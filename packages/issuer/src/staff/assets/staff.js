// The staff page's script: plain browser JavaScript, no framework, no build step. Served by the
// staff router as staff.js and loaded as a module. Texts come localised from the server's JSON
// data block; every text goes in as a text node, never as HTML. The API key lives in
// sessionStorage only (this tab, until it closes) and travels as `Authorization: Bearer`.
const byId = (id) => document.getElementById(id);
const data = JSON.parse(byId('staff-data').textContent);
const { strings, lang, tenant, types, configurations } = data;
const STORAGE_KEY = `tessera-staff-key:${tenant}`;
const SVG_NS = 'http://www.w3.org/2000/svg';

const login = byId('login');
const loginForm = byId('login-form');
const keyInput = byId('api-key');
const loginError = byId('login-error');
const loginSubmit = byId('login-submit');
const workspace = byId('workspace');
const sessionLabel = byId('session-label');
const offerForm = byId('offer-form');
const typeSelect = byId('offer-type');
const claimsFieldset = byId('claims');
const claimFields = byId('claim-fields');
const pinCheckbox = byId('offer-pin');
const offerError = byId('offer-error');
const offerSubmit = byId('offer-submit');
const offerResult = byId('offer-result');
const recordsBody = byId('records-body');
const recordsTable = byId('records-table');
const recordsEmpty = byId('records-empty');
const recordsError = byId('records-error');
const recordsMore = byId('records-more');

const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', calendar: 'gregory' });
let nextCursor;

// ── Signing in ─────────────────────────────────────────────────────────────────────────────────

/** Calls the staff API with the stored key; a 401 signs the page out. */
async function api(path, options = {}) {
  const key = sessionStorage.getItem(STORAGE_KEY);
  const headers = { accept: 'application/json', authorization: `Bearer ${key}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return { ok: false, status: 0, body: { error: 'network' } };
  }
  let body = {};
  try {
    body = await response.json();
  } catch {
    // An answer without JSON is reported by its status alone.
  }
  if (response.status === 401 && options.signIn !== true) signOut(strings['error.session']);
  return { ok: response.ok, status: response.status, body };
}

loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (key === '') {
    showError(loginError, strings['login.failed']);
    keyInput.focus();
    return;
  }
  loginSubmit.disabled = true;
  loginSubmit.textContent = strings['login.checking'];
  sessionStorage.setItem(STORAGE_KEY, key);
  const answer = await api('session', { signIn: true });
  loginSubmit.disabled = false;
  loginSubmit.textContent = strings['login.submit'];
  if (!answer.ok) {
    sessionStorage.removeItem(STORAGE_KEY);
    showError(loginError, answer.status === 401 ? strings['login.failed'] : messageFor(answer));
    keyInput.focus();
    return;
  }
  keyInput.value = '';
  enter(answer.body);
});

byId('sign-out').addEventListener('click', () => signOut(''));

function enter(session) {
  showError(loginError, '');
  sessionLabel.textContent = strings['login.signed_in'].replace('{label}', String(session.label ?? ''));
  login.hidden = true;
  workspace.hidden = false;
  loadRecords(false);
  typeSelect.focus();
}

function signOut(message) {
  sessionStorage.removeItem(STORAGE_KEY);
  workspace.hidden = true;
  login.hidden = false;
  resetOffer();
  recordsBody.replaceChildren();
  showError(loginError, message);
  keyInput.focus();
}

// ── The offer form ─────────────────────────────────────────────────────────────────────────────

typeSelect.addEventListener('change', () => {
  const type = types.find((candidate) => candidate.id === typeSelect.value);
  claimFields.replaceChildren();
  claimsFieldset.hidden = type === undefined;
  if (type === undefined) return;
  // Nested claims go into the group of their parent, which comes first in declared order.
  const containers = new Map([['', claimFields]]);
  for (const field of type.fields) {
    const parent = containers.get(field.path.slice(0, -1).join('.')) ?? claimFields;
    if (field.input === 'group') {
      const group = document.createElement('fieldset');
      group.className = 'claim-group';
      const legend = document.createElement('legend');
      legend.textContent = labelText(field);
      group.append(legend);
      parent.append(group);
      containers.set(field.name, group);
    } else {
      parent.append(fieldRow(field));
    }
  }
});

function labelText(field) {
  return `${field.label} (${field.required ? strings['offer.required'] : strings['offer.optional']})`;
}

function fieldRow(field) {
  const row = document.createElement('div');
  row.className = 'field';
  const id = `claim-${field.name.replaceAll('.', '-')}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = labelText(field);
  let control;
  if (field.input === 'select' || field.input === 'boolean') {
    control = document.createElement('select');
    const choices =
      field.input === 'boolean'
        ? [
            ['', strings['value.unset']],
            ['true', strings['value.yes']],
            ['false', strings['value.no']],
          ]
        : [['', strings['value.unset']], ...field.options.map((option) => [option, option])];
    for (const [value, text] of choices) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = text;
      control.append(option);
    }
  } else {
    control = document.createElement('input');
    control.type = field.input === 'date' ? 'date' : field.input === 'number' ? 'number' : 'text';
    if (field.input === 'number') control.step = '1';
    if (field.maxLength !== undefined) control.maxLength = field.maxLength;
    if (field.minLength !== undefined) control.minLength = field.minLength;
    if (field.min !== undefined) control.min = String(field.min);
    if (field.max !== undefined) control.max = String(field.max);
    if (field.pattern !== undefined) {
      control.pattern = field.pattern;
      control.dir = 'ltr';
    }
    control.autocomplete = 'off';
  }
  control.id = id;
  control.name = field.name;
  control.required = field.required;
  control.dataset.input = field.input;
  row.append(label, control);
  return row;
}

/** The claims as the API wants them: nested objects, booleans and numbers typed, empty fields left out. */
function collectClaims(type) {
  const claims = {};
  for (const field of type.fields) {
    if (field.input === 'group') continue;
    const control = offerForm.elements.namedItem(field.name);
    const raw = control.value.trim();
    if (raw === '') continue;
    let value = raw;
    if (field.input === 'boolean') value = raw === 'true';
    else if (field.input === 'number') value = Number(raw);
    let target = claims;
    for (const step of field.path.slice(0, -1)) {
      target[step] ??= {};
      target = target[step];
    }
    target[field.path.at(-1)] = value;
  }
  return claims;
}

offerForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const type = types.find((candidate) => candidate.id === typeSelect.value);
  if (type === undefined) {
    showError(offerError, strings['offer.type_required']);
    typeSelect.focus();
    return;
  }
  showError(offerError, '');
  offerSubmit.disabled = true;
  offerSubmit.textContent = strings['offer.creating'];
  const answer = await api('offers', {
    method: 'POST',
    body: { type: type.id, claims: collectClaims(type), pin: pinCheckbox.checked },
  });
  offerSubmit.disabled = false;
  offerSubmit.textContent = strings['offer.submit'];
  if (!answer.ok) {
    showError(offerError, messageFor(answer));
    return;
  }
  showOffer(answer.body);
});

function showOffer(offer) {
  offerForm.hidden = true;
  offerResult.hidden = false;
  byId('offer-qr').replaceChildren(qrCode(offer.qrSvg));
  const hasPin = typeof offer.pin === 'string';
  byId('offer-pin-box').hidden = !hasPin;
  byId('offer-pin-value').textContent = hasPin ? offer.pin : '';
  byId('offer-no-pin').hidden = hasPin;
  byId('offer-expires').textContent = strings['result.expires'].replace('{time}', dateTime.format(offer.expiresAt));
  byId('offer-link').value = offer.link;
  byId('copy-status').textContent = '';
  byId('result-heading').focus();
}

/**
 * The server's QR code, rebuilt element by element: only <svg> and <path> with the attributes a
 * QR code needs, so nothing else the answer might contain reaches the page.
 */
function qrCode(svgText) {
  const parsed = new DOMParser().parseFromString(String(svgText), 'image/svg+xml').documentElement;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  if (parsed.localName !== 'svg') return svg;
  const viewBox = parsed.getAttribute('viewBox') ?? '';
  if (/^[\d. ]+$/.test(viewBox)) svg.setAttribute('viewBox', viewBox);
  svg.setAttribute('shape-rendering', 'crispEdges');
  for (const source of parsed.children) {
    if (source.localName !== 'path') continue;
    const path = document.createElementNS(SVG_NS, 'path');
    for (const name of ['d', 'fill', 'stroke']) {
      const value = source.getAttribute(name);
      if (value !== null && /^[#\w\d .,-]+$/.test(value)) path.setAttribute(name, value);
    }
    svg.append(path);
  }
  return svg;
}

byId('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(byId('offer-link').value);
    byId('copy-status').textContent = strings['action.copied'];
  } catch {
    byId('offer-link').select();
  }
});

byId('new-offer').addEventListener('click', () => {
  resetOffer();
  loadRecords(false);
  typeSelect.focus();
});

function resetOffer() {
  offerResult.hidden = true;
  offerForm.hidden = false;
  offerForm.reset();
  claimFields.replaceChildren();
  claimsFieldset.hidden = true;
  byId('offer-qr').replaceChildren();
  byId('offer-pin-value').textContent = '';
  showError(offerError, '');
}

// ── Issued credentials ─────────────────────────────────────────────────────────────────────────

byId('records-refresh').addEventListener('click', () => loadRecords(false));
recordsMore.addEventListener('click', () => loadRecords(true));

async function loadRecords(more) {
  const query = more && nextCursor !== undefined ? `?cursor=${encodeURIComponent(nextCursor)}` : '';
  const answer = await api(`credentials${query}`);
  if (!answer.ok) {
    showError(recordsError, messageFor(answer));
    return;
  }
  showError(recordsError, '');
  if (!more) recordsBody.replaceChildren();
  for (const record of answer.body.items) recordsBody.append(recordRow(record));
  nextCursor = answer.body.nextCursor;
  recordsMore.hidden = nextCursor === undefined;
  const empty = recordsBody.children.length === 0;
  recordsTable.hidden = empty;
  recordsEmpty.hidden = !empty;
}

function recordRow(record) {
  const row = document.createElement('tr');
  row.dataset.recordId = record.id;
  const cell = (text, className) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (className !== undefined) td.className = className;
    row.append(td);
    return td;
  };
  cell(dateTime.format(record.issuedAt));
  cell(configurations[record.configurationId] ?? record.configurationId);
  // One row per credential: a batch's instances (one per holder key) change status together.
  cell(String(record.instances), 'count');
  cell(record.issuedBy, 'mono');
  cell(record.offerId, 'mono');
  const status = cell(strings[`status.${record.status}`] ?? record.status, `status status-${record.status}`);
  status.dataset.status = record.status;
  const actions = cell('', 'actions');
  const offered =
    record.status === 'valid' ? ['suspended', 'revoked'] : record.status === 'suspended' ? ['valid', 'revoked'] : [];
  for (const wanted of offered) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = wanted === 'revoked' ? 'danger' : 'secondary';
    const verb = { revoked: 'action.revoke', suspended: 'action.suspend', valid: 'action.reinstate' }[wanted];
    button.textContent = strings[verb];
    button.addEventListener('click', () => changeStatus(record, wanted, row));
    actions.append(button);
  }
  return row;
}

async function changeStatus(record, wanted, row) {
  // Revocation is final (the status list may never say VALID again), so it is confirmed first.
  if (wanted === 'revoked' && !window.confirm(strings['confirm.revoke'])) return;
  const answer = await api(`credentials/${encodeURIComponent(record.id)}/status`, {
    method: 'POST',
    body: { status: wanted },
  });
  if (!answer.ok) {
    showError(recordsError, messageFor(answer));
    return;
  }
  showError(recordsError, '');
  row.replaceWith(recordRow({ ...record, status: answer.body.status }));
}

// ── Messages ───────────────────────────────────────────────────────────────────────────────────

/** The staff member's words for an API error, with the technical detail when it helps (claims). */
function messageFor(answer) {
  const code = answer.body?.error;
  if (answer.status === 0) return strings['error.network'];
  if (answer.status === 429) return strings['error.rate_limited'];
  const known = typeof code === 'string' ? strings[`error.${code}`] : undefined;
  const text = known ?? strings['error.generic'];
  const detail = answer.body?.error_description;
  if (code === 'claims_invalid' && typeof detail === 'string') {
    return `${text} ${strings['error.technical'].replace('{detail}', detail)}`;
  }
  return text;
}

function showError(element, message) {
  element.textContent = message;
  element.hidden = message === '';
}

// A key from earlier in this tab: check it is still good, then carry on where the staff member was.
if (sessionStorage.getItem(STORAGE_KEY) !== null) {
  api('session', { signIn: true }).then((answer) => {
    if (answer.ok) enter(answer.body);
    else sessionStorage.removeItem(STORAGE_KEY);
  });
}
