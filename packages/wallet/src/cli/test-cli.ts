/**
 * Test only: runs the real `tessera-wallet` command (bin/tessera-wallet.mjs) as a child process,
 * with a given environment and nothing inherited but PATH, feeding `input` on standard input (a
 * pipe, so the CLI reads its answers line by line as a script's would).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tessera-wallet.mjs', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one command to its end; `input` lines are written at once and standard input is then closed. */
export function runWalletCli(
  args: readonly string[],
  { env = {}, input, cwd }: { env?: Record<string, string>; input?: readonly string[]; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      ...(cwd === undefined ? {} : { cwd }),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input.map((line) => `${line}\n`).join(''));
  });
}
