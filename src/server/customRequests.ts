import type { Connection } from 'vscode-languageserver';
import * as service from '../service';
import {
  DecodeRequest,
  IndexSummaryRequest,
  IsBundleFileRequest,
  LeaderIntervalsRequest,
  OverlapsRequest,
  ReindexRequest,
  TimelineRequest,
  UnpackArchiveRequest,
  WindowRequest,
} from '../shared/protocol';
import type { BundleStore } from './bundleStore';
import { onRequest } from './requests';
import { defaultCacheDir } from '../indexer/indexCache';

/** The `quorumLens/…` requests about leaders, the index and files: each one service call. */
export function registerCustomRequests(connection: Connection, store: BundleStore, ready: () => Promise<void>): void {
  const now = () => Promise.resolve();
  onRequest(connection, LeaderIntervalsRequest, ready, ({ role }) => service.leaders(store.context(), { role }));
  onRequest(connection, OverlapsRequest, ready, ({ role }) => service.overlaps(store.context(), { role }));
  onRequest(connection, IndexSummaryRequest, ready, () => service.summaries(store.context()));
  onRequest(connection, DecodeRequest, now, ({ value }) => service.decode(store.context(), { value }, store.settings.timeZone));
  onRequest(connection, ReindexRequest, now, () => store.refresh(true));
  onRequest(connection, TimelineRequest, ready, () => service.timelines(store.context(), store.settings.timeZone));
  // Into the extension's storage (else the user's cache folder): never beside the archive.
  onRequest(connection, UnpackArchiveRequest, now, ({ path }) => service.unpackBundleArchive(path, store.cacheDir ?? defaultCacheDir()));
  onRequest(connection, WindowRequest, ready, ({ uri, from, to }) => {
    const located = store.locate(uri);
    if (!located?.handle) return { lines: ['(not a file of an indexed bundle)'] };
    return service.fileWindow(located.handle, located.relPath, from, to);
  });
  onRequest(connection, IsBundleFileRequest, ready, ({ uri }) => {
    const located = store.locate(uri);
    return !!located?.file && !located.file.skipped;
  });
}
