import type { Connection } from 'vscode-languageserver';
import * as service from '../service';
import { ClockOffsetsRequest, ContextRequest, CountRequest, SessionLifecycleRequest, StatsRequest, TraceRequest } from '../shared/protocol';
import type { BundleStore } from './bundleStore';
import { onRequest, onSearchRequest } from './requests';

/** The investigation workflows of the seeds (trace, context, count, stats, offsets, sessions): each one service call. */
export function registerWorkflowRequests(connection: Connection, store: BundleStore, ready: () => Promise<void>): void {
  onSearchRequest(connection, TraceRequest, ready, (params, control) => service.trace(store.context(), params, control));
  onSearchRequest(connection, ContextRequest, ready, ({ time, uri, line, windowSeconds }) => {
    const located = uri ? store.locate(uri) : undefined;
    const origin = located?.handle
      ? { bundle: located.handle, file: located.relPath, line: line !== undefined ? line + located.lineOffset : undefined }
      : undefined;
    return service.clusterContext(store.context(), { time, origin, windowSeconds });
  });
  onSearchRequest(connection, CountRequest, ready, (params, control) => service.count(store.context(), params, control));
  onSearchRequest(connection, StatsRequest, ready, (params, control) => service.stats(store.context(), params, control));
  onRequest(connection, ClockOffsetsRequest, ready, () => service.clockOffsets(store.context()));
  onRequest(connection, SessionLifecycleRequest, ready, ({ id }) => service.sessionLifecycle(store.context(), { id }));
}
