/**
 * The exit codes of `tessera-wallet`, stable for scripts (docs/wallet.md "The CLI"). `--help`
 * prints this table in the holder's language.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** An unexpected failure: a bug. */
  bug: 1,
  /** Wrong command, options, arguments or input (files, missing passphrase input). */
  usage: 2,
  /** The wallet or backup cannot be opened: wrong passphrase, no such profile, damaged or busy store. */
  wallet: 3,
  /** Refused: wrong PIN, the issuer or verifier said no, a check failed, or no credential fits. */
  refused: 4,
  /** The issuer or verifier could not be reached. */
  network: 5,
  /** The holder declined; the verifier was told. */
  declined: 6,
  /** Ctrl-C at a question: nothing was sent. 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The codes in the order `--help` lists them. */
export const EXIT_CODES: readonly ExitCode[] = Object.values(EXIT);
