/**
 * A handler that fails must not take the server with it: any exception (a
 * malformed request's missing field, a bug) is logged to the editor's output
 * and the request gets an empty answer instead.
 */
export type Log = (message: string) => void;

export function describeFailure(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
}

export function guarded<P, R>(
  name: string,
  log: Log,
  fallback: R,
  handler: (params: P) => R | Promise<R>,
): (params: P) => Promise<R> {
  return async (params) => {
    try {
      return await handler(params);
    } catch (cause) {
      log(`figs lsp: ${name} failed: ${describeFailure(cause)}`);
      return fallback;
    }
  };
}
