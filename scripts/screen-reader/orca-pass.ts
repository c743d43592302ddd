/**
 * A manual screen-reader pass of the wallet app with the GNOME screen reader Orca (issue 6: the app
 * "works with screen readers"). NOT a test and not part of CI: it needs Debian's xvfb, orca,
 * speech-dispatcher, espeak-ng, dbus and xdotool, and a person to read what it writes.
 *
 *   npx tsx scripts/screen-reader/orca-pass.ts --out <dir> [--lang en,ar]
 *
 * What it does, and why each part is there:
 * - Xvfb: a real X display, because Orca reads AT-SPI, which headless Chromium does not expose.
 * - A private D-Bus session with the AT-SPI bus: where Chromium publishes its accessibility tree.
 * - Orca with `--debug-file`: every utterance is logged as `SPEECH OUTPUT: '…'`, whether or not a
 *   sound card exists. Speech-dispatcher still has to answer Orca (Orca hangs at start-up when it
 *   does not), so it gets a config that plays into ALSA's `null` device.
 * - Chromium is started by hand in app mode (`--app`: no address bar, so Tab stays in the page)
 *   with `--force-renderer-accessibility`; playwright-core only attaches over CDP to wait for
 *   screens, note which element has the focus, and take screenshots.
 * - Keys go through xdotool (XTest), so Orca hears them as it would a person's keyboard (it echoes
 *   them and knows that the focus moved because of a key). Only the long offer and request links
 *   are inserted over CDP, as a paste would: typing them would bury the transcript in letters.
 * - The issuer's offer and the desk's request come from their HTTP APIs, so no other window takes
 *   the focus from the wallet while Orca listens.
 * Run one pass at a time (Orca will not start next to another Orca of the same user).
 * Output: <dir>/transcript-<lang>.md (step → key → what Orca said), <dir>/transcript-<lang>.json,
 * <dir>/orca-<lang>.log (Orca's whole debug log) and a screenshot per screen.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type RunningDemo, startDemo } from '../../examples/full-demo/src/start-demo.ts';
import type { Page } from '../../packages/shared/node_modules/playwright-core/index.js';
// playwright-core lives in @tessera/shared's dependencies, not the root's: take it from there.
import playwright from '../../packages/shared/node_modules/playwright-core/index.js';

type Language = 'en' | 'ar';
const WALLET_PIN = '493817';
const TOOLS = [
  'Xvfb',
  'dbus-daemon',
  '/usr/libexec/at-spi-bus-launcher',
  'orca',
  'speech-dispatcher',
  'xdotool',
  '/usr/bin/chromium',
];

const { values } = parseArgs({ options: { out: { type: 'string' }, lang: { type: 'string', default: 'en,ar' } } });
if (values.out === undefined) {
  console.error('Usage: npx tsx scripts/screen-reader/orca-pass.ts --out <dir> [--lang en,ar]');
  process.exit(2);
}
const OUT = resolve(values.out);
const LANGUAGES = (values.lang ?? 'en').split(',') as Language[];
for (const tool of TOOLS) {
  const found = tool.startsWith('/') ? existsSync(tool) : spawnOk('which', [tool]);
  if (!found) throw new Error(`${tool} is missing: see scripts/screen-reader/README.md for the Debian packages`);
}

function spawnOk(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ── The desktop: X display, D-Bus session, AT-SPI bus, speech-dispatcher config, Orca ──────────

/** Every process this script started, each in a process group of its own, stopped by id at the end. */
const started: ChildProcess[] = [];
const work = await mkdtemp(join(tmpdir(), 'tessera-orca-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DISPLAY: ':73',
  XDG_RUNTIME_DIR: join(work, 'run'),
  // speech-dispatcher reads $XDG_CONFIG_HOME/speech-dispatcher/speechd.conf (the null audio below).
  XDG_CONFIG_HOME: join(work, 'config'),
  GTK_MODULES: 'gail:atk-bridge',
  ACCESSIBILITY_ENABLED: '1',
  NO_AT_BRIDGE: '0',
};

function start(command: string, args: string[], log: string): ChildProcess {
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  child.on('exit', () => void writeFile(join(work, `${log}.out`), lines.join('')).catch(() => {}));
  started.push(child);
  return child;
}

async function startDesktop(): Promise<void> {
  await mkdir(join(work, 'run'), { recursive: true, mode: 0o700 });
  await mkdir(join(work, 'config', 'speech-dispatcher'), { recursive: true });
  const speechd = await readFile('/etc/speech-dispatcher/speechd.conf', 'utf8');
  // No sound card here: without an audio sink speech-dispatcher stops answering, and Orca with it.
  await writeFile(
    join(work, 'config', 'speech-dispatcher', 'speechd.conf'),
    `${speechd}\nAudioOutputMethod "alsa"\nAudioALSADevice "null"\n`,
  );
  start('Xvfb', [env.DISPLAY as string, '-screen', '0', '1024x900x24', '-nolisten', 'tcp'], 'xvfb');
  const bus = start('dbus-daemon', ['--session', '--nofork', '--print-address=1'], 'dbus');
  env.DBUS_SESSION_BUS_ADDRESS = await new Promise<string>((done, fail) => {
    bus.stdout?.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
    bus.once('exit', () => fail(new Error('dbus-daemon exited')));
  });
  start('/usr/libexec/at-spi-bus-launcher', ['--launch-immediately'], 'at-spi');
  await sleep(1500);
}

async function startOrca(log: string): Promise<void> {
  await rm(log, { force: true });
  // Orca runs this file from its prefs folder at start-up (Orca's settings are module attributes).
  // 1. Its debug file is block-buffered, so the log would trail what Orca says by seconds: make it
  //    line-buffered.
  // 2. No Say All when a page loads. With the null audio device Orca can believe that Say All is
  //    still running long after the page loaded, and then it stays in browse mode in the PIN
  //    fields and takes typed digits as commands (3 and 4: "next heading at level 3/4"). With
  //    this off, Orca reads the line at the focus on load instead (orca/scripts/web/script.py).
  await mkdir(join(work, 'orca-prefs'), { recursive: true });
  await writeFile(
    join(work, 'orca-prefs', 'orca-customizations.py'),
    [
      'import orca.debug',
      'import orca.settings',
      'if orca.debug.debugFile:',
      '    orca.debug.debugFile.reconfigure(line_buffering=True)',
      'orca.settings.sayAllOnLoad = False',
      '',
    ].join('\n'),
  );
  // No --replace: it would kill every Orca of this user, a person's own included. Orca refuses to
  // start while another one runs (`pgrep -x orca`); then stop that one first.
  const orca = start('orca', ['-u', join(work, 'orca-prefs'), `--debug-file=${log}`], 'orca');
  // Orca is ready once it has said so.
  for (let i = 0; !(await speechSince(log, 0)).some((line) => line.text.includes('Screen reader on')); i++) {
    if (orca.exitCode !== null || i > 60) throw new Error('Orca did not start: is another Orca running (pgrep -x orca)?');
    await sleep(500);
  }
}

// ── What Orca said ───────────────────────────────────────────────────────────────────────────────

interface Utterance {
  text: string;
  /** Orca's echo of a key (`tab`, `return`): logged as `'tab ' {…}`, with a space before the voice. */
  echo: boolean;
  /** The voice settings Orca sent with it (language, family), as Orca printed them. */
  voice: string;
}

/** The utterances in Orca's debug log after byte `from` (the log grows to tens of MB: read only the new part). */
async function speechSince(log: string, from: number): Promise<Utterance[]> {
  if (!existsSync(log)) return [];
  const file = await open(log, 'r');
  let text: string;
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.max(0, size - from));
    await file.read(buffer, 0, buffer.length, from);
    text = buffer.toString('utf8');
  } finally {
    await file.close();
  }
  const said: Utterance[] = [];
  for (const entry of text.split(/\n(?=\d\d:\d\d:\d\d\.\d+ - )/)) {
    const match = /^\d\d:\d\d:\d\d\.\d+ - SPEECH OUTPUT: '([\s\S]*?)'(?: voice=\w+)?( ?)(\{'[\s\S]*\}|\{\})?\s*$/.exec(
      entry.trim(),
    );
    if (match) said.push({ text: match[1] as string, echo: match[2] === ' ', voice: match[3] ?? '' });
  }
  return said;
}

const logLength = async (log: string): Promise<number> => (existsSync(log) ? (await stat(log)).size : 0);

/**
 * Waits for Orca to finish and returns what it said since `from`. Orca answers a focus change a
 * moment after its key echo, so: at least `minimum` ms; then until
 * something other than a key echo was said (or 2.5 s passed) and 0.9 s of silence followed; 12 s at most.
 */
async function settle(log: string, from: number, minimum = 0): Promise<Utterance[]> {
  const start = Date.now();
  let count = -1;
  let quietSince = start;
  while (Date.now() - start < 12_000) {
    await sleep(200);
    const said = await speechSince(log, from);
    if (said.length !== count) {
      count = said.length;
      quietSince = Date.now();
      continue;
    }
    const answered = said.some((utterance) => !utterance.echo) || Date.now() - start > 2500;
    if (Date.now() - start >= minimum && answered && Date.now() - quietSince >= 900) break;
  }
  return speechSince(log, from);
}

// ── The pass ─────────────────────────────────────────────────────────────────────────────────────

interface Step {
  screen: string;
  action: string;
  /** What had the focus after the action, as the DOM has it (tag, role, id, text). */
  focused: string;
  said: Utterance[];
}

async function pass(demo: RunningDemo, language: Language, steps: Step[]): Promise<void> {
  const log = join(OUT, `orca-${language}.log`);
  await startOrca(log);
  const profile = join(work, `chromium-${language}`);
  // No password-manager bubble after the PIN form: it would take the focus away from the app.
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({
      credentials_enable_service: false,
      profile: { password_manager_enabled: false },
      // navigator.languages, which the app's first language guess reads.
      intl: { accept_languages: language === 'ar' ? 'ar,en' : 'en-GB,en' },
    }),
  );
  // Chromium on Linux takes its own language from LANGUAGE, not from --lang.
  env.LANGUAGE = language === 'ar' ? 'ar' : 'en_GB';
  const browserProcess = start(
    '/usr/bin/chromium',
    [
      '--no-sandbox',
      // Without it Chromium shows an infobar about --no-sandbox, which Tab would visit on every screen.
      '--test-type',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--password-store=basic',
      '--disable-features=Translate',
      '--force-renderer-accessibility',
      `--lang=${language === 'ar' ? 'ar' : 'en-GB'}`,
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      '--window-position=0,0',
      '--window-size=430,880',
      `--app=${demo.wallet.url}`,
    ],
    `chromium-${language}`,
  );
  const portFile = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 60 && !existsSync(portFile); i++) await sleep(500);
  const port = (await readFile(portFile, 'utf8')).split('\n')[0];
  const browser = await playwright.chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const page = browser.contexts()[0]?.pages()[0] as Page;
  // The app window has the X input focus, as if the person had just opened the app.
  const window = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--class', 'chromium'], { env })
    .toString()
    .trim()
    .split('\n')[0] as string;
  execFileSync('xdotool', ['windowfocus', '--sync', window], { env });

  let screenName = 'start';
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement;
      if (element === null || element === document.body) return '(body)';
      const role = element.getAttribute('role');
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
      return `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${role ? ` role=${role}` : ''}> ${text}`;
    });
  /** Does something, waits for Orca to finish speaking and writes down what it said. */
  const record = async (action: string, act: () => Promise<unknown>, minimum = 0): Promise<Utterance[]> => {
    const from = await logLength(log);
    await act();
    const said = await settle(log, from, minimum);
    steps.push({ screen: screenName, action, focused: await focused(), said });
    return said;
  };
  const key = (...keys: string[]) => execFileSync('xdotool', ['key', '--delay', '80', ...keys], { env });
  const type = (text: string) => execFileSync('xdotool', ['type', '--delay', '150', text], { env });
  const heading = () => page.locator('h1').textContent();
  /** Waits for a new screen (its h1 changes), recording what Orca said on the way. */
  const arrive = async (name: string, action: string, act: () => Promise<unknown>): Promise<void> => {
    const before = await heading().catch(() => null);
    // A new screen gets 3 s at least: its heading, live regions and notices may come in any order.
    await record(
      action,
      async () => {
        await act();
        for (let i = 0; i < 120 && (await heading().catch(() => before)) === before; i++) await sleep(250);
        screenName = name;
      },
      3000,
    );
    await page.screenshot({ path: join(OUT, `${language}-${name}.png`) });
  };
  /** Tab until `selector` has the focus (at most 30 presses), recording each stop. */
  const tabTo = async (selector: string): Promise<void> => {
    for (let i = 0; i < 30; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await record('Tab', async () => key('Tab'));
    }
    throw new Error(`${screenName}: Tab never reached ${selector}`);
  };
  /** Every Tab stop of the screen once round (back to where the focus started). */
  const tabTour = async (): Promise<void> => {
    const count = await page.evaluate(
      () =>
        [
          ...document.querySelectorAll('#app a[href], #app button, #app input, #app textarea, #app select, #app [tabindex="0"]'),
        ].filter((element) => !(element as HTMLButtonElement).disabled && element.getClientRects().length > 0).length,
    );
    for (let i = 0; i < count; i++) await record('Tab', async () => key('Tab'));
  };
  /**
   * One Down arrow right after a screen arrived, without Ctrl+Home first: what a person hears who
   * reads on from the title. (Where Orca's browse-mode caret is after the arrival: on the heading,
   * or somewhere else such as the screen announcer after the page's content.)
   */
  const readOn = async (): Promise<void> => {
    await record('Down (reading on)', async () => key('Down'));
  };
  /** Orca's browse mode: from the top, Down arrow line by line, as a person reads a new screen. */
  const readThrough = async (lines = 25): Promise<void> => {
    await record('Ctrl+Home', async () => key('ctrl+Home'));
    let silent = 0;
    for (let i = 0; i < lines && silent < 3; i++) {
      const said = await record('Down', async () => key('Down'));
      silent = said.length === 0 ? silent + 1 : 0;
    }
  };

  // Language picker: arrival, then every language button; pick ours with Enter.
  await arrive('language', 'app opened', async () => page.waitForSelector('h1'));
  await readThrough(6);
  await page.locator('h1').focus();
  await tabTo(`button.language[lang="${language}"]`);
  await arrive('create', 'Enter', async () => key('Return'));
  // Create the wallet: the fields, the PIN typed digit by digit, submit.
  await readThrough(12);
  await tabTo('#pin');
  await record(`type ${WALLET_PIN}`, async () => type(WALLET_PIN));
  await tabTo('#pin-again');
  await record(`type ${WALLET_PIN}`, async () => type(WALLET_PIN));
  await tabTo('button[type="submit"]');
  await arrive('about', 'Enter', async () => key('Return'));
  await readOn();
  await readThrough(15);
  await tabTour();
  await tabTo('a[href="#/home"]');
  await arrive('home-empty', 'Enter', async () => key('Return'));
  await readThrough(8);
  await tabTour();

  // Receive: the office's link (pasted) and PIN (typed).
  const city = demo.issuer.tenants.find((tenant) => tenant.id === 'city');
  const offer = await postJson(
    `${city?.staffPage}offers`,
    { type: 'residence_permit', claims: PERMIT_CLAIMS },
    {
      authorization: `Bearer ${demo.staffKeys.city}`,
    },
  );
  await tabTo('a[href="#/receive"]');
  await arrive('receive', 'Enter', async () => key('Return'));
  await readThrough(10);
  await tabTour();
  await tabTo('textarea');
  await record('paste the offer link', async () => page.keyboard.insertText(String(offer.link)));
  await tabTo('#tx-code');
  await record(`type the office PIN ${offer.pin}`, async () => type(String(offer.pin)));
  await tabTo('form button[type="submit"]');
  await arrive('credential', 'Enter', async () => key('Return'));
  await readOn();
  await readThrough(30);
  await tabTour();
  await tabTo('a.back');
  await arrive('home', 'Enter', async () => key('Return'));
  await tabTour();

  // Share with the desk's "residence" request (one needed claim), then read the receipt.
  const desk = await postJson(`${demo.desk.deskPage}/api/transactions`, { template: 'residence', lang: language });
  await tabTo('a[href="#/share"]');
  await arrive('share', 'Enter', async () => key('Return'));
  await tabTo('textarea');
  await record('paste the desk link', async () => page.keyboard.insertText(String(desk.link)));
  await tabTo('form button[type="submit"]');
  await arrive('consent', 'Enter', async () => key('Return'));
  await readOn();
  await readThrough(30);
  await page.locator('h1').focus();
  await tabTour();
  await tabTo('.consent-actions button:first-child');
  await arrive('receipt', 'Enter', async () => key('Return'));
  await readOn();
  await readThrough(20);
  await tabTour();
  await tabTo('a[href="#/home"]');
  await arrive('home-after-share', 'Enter', async () => key('Return'));

  // A request with an optional claim (given name): the switch, turned on with Space, then "Don't share".
  const optional = await demo.desk.verifier.start({
    query: {
      credentials: [
        {
          id: 'permit',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['https://tessera.example/credentials/residence-permit'] },
          claims: [
            { id: 'status', path: ['residence_status'] },
            { id: 'name', path: ['given_name'] },
          ],
          claim_sets: [['status'], ['status', 'name']],
        },
      ],
    },
    purpose: { en: 'To check that you may work in Italy', ar: 'للتحقق من أنه يحق لك العمل في إيطاليا' },
  });
  await tabTo('a[href="#/share"]');
  await arrive('share-2', 'Enter', async () => key('Return'));
  await tabTo('textarea');
  await record('paste the second link', async () => page.keyboard.insertText(optional.link));
  await tabTo('form button[type="submit"]');
  await arrive('consent-optional', 'Enter', async () => key('Return'));
  await readThrough(30);
  await page.locator('h1').focus();
  await tabTo('[role="switch"]');
  await record('Space', async () => key('space'));
  await record('Space', async () => key('space'));
  await tabTo('.consent-actions button:last-child');
  await arrive('receipt-declined', 'Enter', async () => key('Return'));
  await readThrough(10);
  await tabTo('a[href="#/home"]');
  await arrive('home-after-decline', 'Enter', async () => key('Return'));

  // History, then lock (a reload locks the wallet) and unlock: a wrong PIN first.
  await tabTo('a[href="#/history"]');
  await arrive('history', 'Enter', async () => key('Return'));
  await readThrough(30);
  await tabTour();
  await arrive('unlock', 'reload (locks the wallet)', async () => page.reload());
  await readThrough(8);
  await tabTo('#pin');
  await record('type 000000', async () => type('000000'));
  await record('Enter (wrong PIN)', async () => key('Return'));
  await sleep(1500);
  await record('(waiting for the answer)', async () => sleep(3000));
  await tabTo('#pin');
  await record('select all, type the PIN', async () => {
    key('ctrl+a');
    type(WALLET_PIN);
  });
  await tabTo('button[type="submit"]');
  await arrive('home-unlocked', 'Enter', async () => key('Return'));

  await browser.close().catch(() => {});
  await stop(browserProcess);
  await stop(started.find((child) => child.spawnargs.includes(`--debug-file=${log}`)));
}

const PERMIT_CLAIMS = {
  given_name: 'Amina',
  family_name: 'Haile',
  birth_date: '1994-03-07',
  nationality: 'ER',
  residence_status: 'lawfully_resident',
  permit_type: 'humanitarian',
  valid_until: new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().slice(0, 10),
  address: { locality: 'Casalecchio' },
  age_equal_or_over: { '18': true },
};

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Stops a started process's group and waits (5 s at most) until it has exited. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // Already gone.
  }
  await Promise.race([exited, sleep(5000)]);
}

/** A transcript a person can read: per screen, each key and what Orca said. */
function markdown(language: Language, steps: Step[]): string {
  const lines = [`# Orca transcript (${language})`, ''];
  let screen = '';
  for (const step of steps) {
    if (step.screen !== screen) {
      screen = step.screen;
      lines.push(
        '',
        `## ${screen}`,
        '',
        '| key / action | focus (DOM) | Orca said ([key echo], «speech») |',
        '| --- | --- | --- |',
      );
    }
    const said =
      step.said.map((utterance) => (utterance.echo ? `[${utterance.text.trim()}]` : `«${utterance.text.trim()}»`)).join(' ') ||
      '(nothing)';
    // The focus column in backticks: `<h1>` would otherwise be read as HTML by a Markdown viewer.
    lines.push(
      `| ${step.action} | \`${step.focused.replace(/\|/g, '\\|')}\` | ${said.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Stops the demo and every process this script started (by process group id), and removes the work folder. */
async function cleanUp(demo: RunningDemo | undefined): Promise<void> {
  await demo?.stop();
  // speech-dispatcher forks itself away from Orca: stop it by the pid it wrote.
  const speechdPid = join(work, 'run', 'speech-dispatcher', 'pid', 'speech-dispatcher.pid');
  if (existsSync(speechdPid)) {
    try {
      process.kill(Number((await readFile(speechdPid, 'utf8')).trim()), 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  for (const child of started.reverse()) await stop(child);
  await rm(work, { recursive: true, force: true });
}

await mkdir(OUT, { recursive: true });
let demo: RunningDemo | undefined;
/** The language under way and its steps so far, written out on Ctrl-C too. */
let current: { language: Language; steps: Step[] } | undefined;
const writeTranscript = async ({ language, steps }: { language: Language; steps: Step[] }): Promise<void> => {
  await writeFile(join(OUT, `transcript-${language}.json`), JSON.stringify(steps, null, 2));
  await writeFile(join(OUT, `transcript-${language}.md`), markdown(language, steps));
  console.log(`${language}: ${steps.length} steps → ${join(OUT, `transcript-${language}.md`)}`);
};
// Ctrl-C half-way must not leave Xvfb, Orca and Chromium running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (current === undefined ? Promise.resolve() : writeTranscript(current))
      .then(() => cleanUp(demo))
      .finally(() => process.exit(130));
  });
}
try {
  await startDesktop();
  demo = await startDemo({ dataDir: join(work, 'demo'), port: 0 });
  for (const language of LANGUAGES) {
    current = { language, steps: [] };
    try {
      await pass(demo, language, current.steps);
    } finally {
      // Written even when the pass stops half-way: what Orca said up to there is the finding.
      await writeTranscript(current);
      current = undefined;
    }
  }
} finally {
  await cleanUp(demo);
}
