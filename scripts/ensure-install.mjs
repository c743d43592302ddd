// Installs the workspace's dependencies from the lockfile before `start`, `test` and `bench`,
// so the README's commands work on a fresh clone with only Node and npm.
// pnpm is re-invoked through the same entry point that runs this script (npx -y pnpm@<pinned>).
import { spawnSync } from 'node:child_process';

const pnpmEntry = process.env.npm_execpath;
const [command, args] = pnpmEntry && /pnpm/.test(pnpmEntry) ? [process.execPath, [pnpmEntry]] : ['npx', ['-y', 'pnpm@10.34.9']];
const result = spawnSync(command, [...args, 'install', '--frozen-lockfile', '--reporter=silent'], {
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('Installing dependencies failed (pnpm install --frozen-lockfile). See the output above.');
  process.exit(result.status ?? 1);
}
