import type { Connection } from 'vscode-languageserver';
import { lineAtTime, timeAtLine } from '../service/timeSync';
import { LinesAtTimeRequest, TimeAtLineRequest } from '../shared/protocol';
import type { BundleStore } from './bundleStore';
import { onRequest } from './requests';

/** At most this many documents per moment (a window has a few visible editors; more is not a real request). */
const MAX_URIS = 64;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 1;

/** Time sync: a document line's moment, and a moment's line in each visible document. URIs in, service calls out. */
export function registerTimeSyncRequests(connection: Connection, store: BundleStore, ready: () => Promise<void>): void {
  onRequest(connection, TimeAtLineRequest, ready, async (p) => {
    const at = typeof p?.uri === 'string' && isCount(p.line) ? store.locate(p.uri) : undefined;
    if (!at?.handle) return null;
    return (await timeAtLine(store.context(), { bundle: at.handle, file: at.relPath, line: p.line + at.lineOffset })) ?? null;
  });
  onRequest(connection, LinesAtTimeRequest, ready, async (p) => {
    if (!Array.isArray(p?.uris) || typeof p.time !== 'number' || !Number.isFinite(p.time)) return [];
    const ctx = store.context();
    // A file of another bundle stays put (its clocks are not this moment's); a moment from no bundle moves none.
    const same = typeof p.sameBundleAs === 'string' ? (store.locate(p.sameBundleAs)?.bundle ?? null) : undefined;
    return Promise.all(
      p.uris.slice(0, MAX_URIS).map(async (uri) => {
        const at = typeof uri === 'string' ? store.locate(uri) : undefined;
        if (!at?.handle || (same !== undefined && at.bundle !== same)) return null;
        return (await lineAtTime(ctx, { bundle: at.handle, file: at.relPath, time: p.time })) ?? null;
      }),
    );
  });
}
