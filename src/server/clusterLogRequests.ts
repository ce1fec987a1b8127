import type { Connection } from 'vscode-languageserver';
import * as service from '../service';
import { MergedLinesRequest } from '../shared/protocol';
import type { BundleStore } from './bundleStore';
import { onRequest } from './requests';

/** The Cluster Log view's pages: each one service call (the service checks the filters and the cursor). */
export function registerClusterLogRequests(connection: Connection, store: BundleStore, ready: () => Promise<void>): void {
  onRequest(connection, MergedLinesRequest, ready, (params) => service.mergedLines(store.context(), params ?? {}));
}
