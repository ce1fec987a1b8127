import type { Connection } from 'vscode-languageserver';
import * as service from '../service';
import { overlapReportMarkdown } from '../service/overlapReportMarkdown';
import {
  ClockOffsetsRequest,
  ContextRequest,
  CountRequest,
  ExplainOverlapRequest,
  SessionLifecycleRequest,
  StatsRequest,
  TraceRequest,
  type ExplainOverlapParams,
} from '../shared/protocol';
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
  onRequest(connection, ExplainOverlapRequest, ready, (params) => {
    const r = service.explainOverlaps(store.context(), explainParams(params));
    return { ...r, reports: r.reports.map((x) => ({ ...x, markdown: overlapReportMarkdown(x) })) };
  });
}

/** Only the fields Explain Overlap knows, each of its type (a malformed one is left out, not passed on). */
function explainParams(p: ExplainOverlapParams | undefined): ExplainOverlapParams {
  const nodes = p?.nodes;
  return {
    ...(typeof p?.role === 'string' && { role: p.role }),
    ...(Array.isArray(nodes) && nodes.length === 2 && nodes.every((n) => typeof n === 'string') && { nodes: [nodes[0], nodes[1]] }),
    ...(typeof p?.start === 'number' && Number.isFinite(p.start) && { start: p.start }),
  };
}
