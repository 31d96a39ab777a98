/**
 * Everything a command touches outside its arguments. Commands never use
 * `process` directly, so tests run them in-process with memory streams.
 */
export interface OutputStream {
  write(text: string): void;
  /** Colour and progress output only make sense on a terminal. */
  readonly isTTY: boolean;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Relative file arguments are resolved against this folder. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<Uint8Array>;
  /**
   * Where `--json` diagnostics go when the command's other output was moved
   * to stderr (`withJsonStdout`); standard output when absent.
   */
  readonly jsonOut?: OutputStream;
}

/**
 * With `--json`, standard output carries JSON only: a command without a JSON
 * report of its own writes what it prints to stderr instead, and its
 * diagnostics, if any, are the JSON on stdout.
 */
export function withJsonStdout(io: CliIo): CliIo {
  return { ...io, stdout: io.stderr, jsonOut: io.jsonOut ?? io.stdout };
}

/** The process's own streams, for the real `figs` binary. */
export function processIo(): CliIo {
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    cwd: process.cwd(),
    env: process.env,
    readStdin: () => readAll(process.stdin),
  };
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Per https://no-color.org: NO_COLOR set to anything but the empty string turns colour off. */
export function wantsColour(io: CliIo, stream: OutputStream): boolean {
  const noColour = io.env["NO_COLOR"];
  return stream.isTTY && (noColour === undefined || noColour === "");
}
