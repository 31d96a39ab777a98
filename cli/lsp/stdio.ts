/**
 * The server on this process's standard input and output, as editors start
 * it (`figs lsp --stdio`). Standard output then carries the protocol alone:
 * console output goes to the editor's log instead, and an exception that
 * escapes a handler is logged there too, not fatal. The returned promise
 * settles when the connection closes; the `exit` notification ends the
 * process (the protocol's exit code: 0 after `shutdown`, else 1).
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { describeFailure } from "./guard.js";
import { startServer, type ServerOptions } from "./server.js";

export function serveOnStdio(options: ServerOptions = {}): Promise<number> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const log = (message: string) => connection.console.error(message);
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(" "));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(" "));
  console.error = (...args: unknown[]) => log(args.map(String).join(" "));
  process.on("uncaughtException", (cause) => log(`figs lsp: uncaught exception: ${describeFailure(cause)}`));
  process.on("unhandledRejection", (cause) => log(`figs lsp: unhandled rejection: ${describeFailure(cause)}`));
  startServer(connection, options);
  return new Promise((resolve) => connection.onExit(() => resolve(0)));
}
