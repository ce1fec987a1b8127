import {
  WorkDoneProgress,
  type CancellationToken,
  type Connection,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressParams,
  type WorkDoneProgressReport,
} from 'vscode-languageserver';
import type { SearchControl } from '../service';
import type { RequestSpec } from '../shared/protocol';

/**
 * Registers a typed handler for a request of the shared protocol: the service's answer, after any indexing
 * under way has finished.
 */
export function onRequest<P, R>(
  connection: Connection,
  spec: RequestSpec<P, R>,
  ready: () => Promise<void>,
  handler: (params: P) => R | Promise<R>,
): void {
  // By method name: the generic handler type of vscode-jsonrpc does not accept an unresolved R.
  connection.onRequest(spec.method, async (params: P): Promise<R> => {
    await ready();
    return handler(params);
  });
}

/**
 * A search request: stopped when the client cancels it, reporting "Searched 12/33 files" on the request's
 * work-done token when the client sent one.
 */
export function onSearchRequest<P, R>(
  connection: Connection,
  spec: RequestSpec<P, R>,
  ready: () => Promise<void>,
  handler: (params: P, control: SearchControl) => Promise<R>,
): void {
  connection.onRequest(spec.method, async (params: P, token: CancellationToken): Promise<R> => {
    const control = searchControl(connection, token, (params as WorkDoneProgressParams).workDoneToken);
    try {
      await ready();
      return await handler(params, control);
    } finally {
      control.end();
    }
  });
}

/** Cancellation as an AbortSignal, progress as work-done reports (once per percent). */
export function searchControl(
  connection: Connection,
  token: CancellationToken,
  progressToken?: string | number,
): Required<SearchControl> & { end(): void } {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  const send = (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
    if (progressToken !== undefined) void connection.sendProgress(WorkDoneProgress.type, progressToken, value);
  };
  send({ kind: 'begin', title: 'Searching the bundle', percentage: 0, cancellable: true });
  let lastPercent = -1;
  return {
    signal: abort.signal,
    onProgress(done, total) {
      const percentage = Math.floor((done / Math.max(1, total)) * 100);
      if (percentage === lastPercent) return;
      lastPercent = percentage;
      send({ kind: 'report', message: `Searched ${done}/${total} files`, percentage });
    },
    end() {
      sub.dispose();
      send({ kind: 'end' });
    },
  };
}
