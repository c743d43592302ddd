import { readFile, stat } from 'node:fs/promises';
import { CliError } from './cli-error.ts';

/** The text of a file the holder named, or a usage error naming it. */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(path);
    if (info.size > maxBytes) throw new CliError('input.file_too_large', { fix: 'fix.file_unreadable', values: { file: path } });
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('input.file_unreadable', { fix: 'fix.file_unreadable', values: { file: path }, cause: error });
  }
}
