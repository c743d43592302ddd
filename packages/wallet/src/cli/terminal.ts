import { Interrupted } from './cli-error.ts';

/**
 * Where the CLI asks its questions. On a terminal it asks on the terminal (hidden input for
 * secrets); otherwise every answer, passphrases included, is the next line of standard input, so
 * scripts and tests can feed the whole dialogue in order.
 */
export interface Prompter {
  /** True when standard input is a terminal a person types at. */
  readonly interactive: boolean;
  /** A visible answer, or `undefined` once the input has ended. */
  ask(question: string): Promise<string | undefined>;
  /** An answer not echoed on a terminal; the next input line otherwise. `undefined` once the input has ended. */
  askSecret(question: string): Promise<string | undefined>;
  /** Stops reading, so the process can end. */
  close(): void;
}

/** The parts of `process.stdin` the prompter uses. */
export interface InputStream extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  destroy?(): unknown;
}

/** At most this much unanswered input is held: a pipe that never sends a newline cannot grow memory without bound. */
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * A prompter over standard input, writing questions to `output` (standard error, so standard
 * output keeps only results). On a terminal, Ctrl-C at a question throws `Interrupted`.
 */
export function nodePrompter(input: InputStream, output: NodeJS.WritableStream): Prompter {
  const interactive = input.isTTY === true && typeof input.setRawMode === 'function';
  const lines = interactive ? undefined : new LineSource(input);
  return {
    interactive,
    ask: async (question) => {
      if (lines !== undefined) {
        output.write(question);
        const answer = await lines.next();
        // Echo what was read, so a transcript of a scripted run shows each answer.
        output.write(`${answer ?? ''}\n`);
        return answer;
      }
      return readTerminalLine(input, output, question, false);
    },
    askSecret: async (question) => {
      if (lines === undefined) return readTerminalLine(input, output, question, true);
      // The question is shown (when there is one) but the answer is not echoed.
      if (question !== '') output.write(`${question}\n`);
      return lines.next();
    },
    close: () => {
      lines?.close();
      if (interactive) input.pause();
    },
  };
}

/** Lines of a non-terminal input, read as they arrive. */
class LineSource {
  readonly #input: InputStream;
  #pending = '';
  readonly #lines: string[] = [];
  #ended = false;
  #started = false;
  #waiter: (() => void) | undefined;

  constructor(input: InputStream) {
    this.#input = input;
  }

  async next(): Promise<string | undefined> {
    this.#start();
    while (this.#lines.length === 0 && !this.#ended) {
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
    return this.#lines.shift();
  }

  close(): void {
    if (!this.#started) return;
    this.#input.removeAllListeners('data');
    this.#input.pause();
    this.#input.destroy?.();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#input.setEncoding('utf8');
    const wake = (): void => {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter?.();
    };
    this.#input.on('data', (chunk: string) => {
      this.#pending += chunk;
      let newline = this.#pending.indexOf('\n');
      while (newline !== -1) {
        this.#lines.push(this.#pending.slice(0, newline).replace(/\r$/, ''));
        this.#pending = this.#pending.slice(newline + 1);
        newline = this.#pending.indexOf('\n');
      }
      if (this.#pending.length > MAX_PENDING_CHARS) this.#pending = '';
      wake();
    });
    const end = (): void => {
      if (this.#pending !== '') this.#lines.push(this.#pending.replace(/\r$/, ''));
      this.#pending = '';
      this.#ended = true;
      wake();
    };
    this.#input.on('end', end);
    this.#input.on('error', end);
    this.#input.resume();
  }
}

/**
 * One line typed at a terminal, in raw mode so a secret is never echoed. Enter ends it,
 * Backspace deletes, Ctrl-C throws `Interrupted`, Ctrl-D on an empty line ends the input; escape
 * sequences (arrow keys) and other control characters are ignored.
 */
function readTerminalLine(
  input: InputStream,
  output: NodeJS.WritableStream,
  question: string,
  hidden: boolean,
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    output.write(question);
    let value = '';
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    const finish = (error?: Error, result?: string): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error !== undefined) reject(error);
      else resolve(result);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish(undefined, value);
          return;
        }
        if (char === '\u0003') {
          finish(new Interrupted('Interrupted at a question'));
          return;
        }
        if (char === '\u0004') {
          if (value === '') {
            finish(undefined, undefined);
            return;
          }
          continue;
        }
        if (char === '\u007f' || char === '\b') {
          if (value !== '') {
            value = [...value].slice(0, -1).join('');
            if (!hidden) output.write('\b \b');
          }
          continue;
        }
        // An escape sequence (arrow keys, function keys) arrives as one chunk: drop the rest of it.
        if (char === '\u001b') break;
        if (/\p{Cc}/u.test(char)) continue;
        value += char;
        if (!hidden) output.write(char);
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
