// Makes sure the system Chromium that the browser tests drive (through playwright-core, which never
// downloads a browser) is installed before `test` runs vitest. On a Debian machine where we are
// root it installs it, with the Noto fonts so Arabic and other scripts render; elsewhere it stops
// and says which command to run.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-noto-core'];
const INSTALL = `apt-get install -y ${PACKAGES.join(' ')}`;

if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasAptGet) {
    console.error(`The browser tests need Chromium at ${CHROMIUM}, and it is missing. Install it with: ${INSTALL}`);
    process.exit(1);
  }

  const run = (args) => {
    console.log(`ensure-chromium: ${CHROMIUM} is missing; running: apt-get ${args.join(' ')}`);
    return (
      spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0
    );
  };
  // A fresh machine may have no package lists yet: update them once if the first try fails.
  const installed = run(['install', '-y', ...PACKAGES]) || (run(['update']) && run(['install', '-y', ...PACKAGES]));
  if (!installed || !existsSync(CHROMIUM)) {
    console.error(`Installing Chromium failed. Install it with: ${INSTALL}`);
    process.exit(1);
  }
  console.log(`ensure-chromium: installed ${PACKAGES.join(', ')}.`);
}
