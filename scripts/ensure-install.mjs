// Installs the workspace's dependencies from the lockfile before `start`, `test` and `bench`,
// so the README's commands work on a fresh clone with only Node and npm.
// pnpm is re-invoked through the same entry point that runs this script (npx -y pnpm@<pinned>).
import { spawnSync } from 'node:child_process';

const pnpmEntry = process.env.npm_execpath;
const [command, args] = pnpmEntry && /pnpm/.test(pnpmEntry) ? [process.execPath, [pnpmEntry]] : ['npx', ['-y', 'pnpm@10.34.9']];
const install = (reporter) =>
  spawnSync(command, [...args, 'install', '--frozen-lockfile', `--reporter=${reporter}`], { stdio: 'inherit' });

// Quiet when all is well; when it fails, run it again with pnpm's normal output so the reason shows.
if (install('silent').status !== 0) {
  const retry = install('default');
  if (retry.status !== 0) {
    console.error('Installing dependencies failed (pnpm install --frozen-lockfile): see the messages above.');
    process.exit(retry.status ?? 1);
  }
}
