import type { MessageValues } from '@tessera/shared';
import { EXIT, type ExitCode } from './exit-codes.ts';
import type { CliMessageKey } from './messages.ts';

/**
 * A failure the holder can act on (a usage mistake, an unreadable file, a declined request): the
 * CLI prints the localised `reason` and `fix` messages, without a stack, and exits with
 * `exitCode`. Values never hold claim values.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly reason: CliMessageKey;
  readonly fix: CliMessageKey | undefined;
  readonly values: MessageValues;
  readonly exitCode: ExitCode;

  constructor(
    reason: CliMessageKey,
    {
      fix,
      values = {},
      exitCode = EXIT.usage,
      cause,
    }: { fix?: CliMessageKey; values?: MessageValues; exitCode?: ExitCode; cause?: unknown } = {},
  ) {
    super(reason, cause === undefined ? undefined : { cause });
    this.reason = reason;
    this.fix = fix;
    this.values = values;
    this.exitCode = exitCode;
  }
}

/** Ctrl-C at a question: nothing was sent (exit 130). */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}
