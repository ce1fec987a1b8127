import type { HostToTable } from '../../shared/tableProtocol';
import { TablePage, type VsCodeApi } from './tablePage';

declare function acquireVsCodeApi(): VsCodeApi;

// The result table webview: draw the table kept in the page's state at once, say "ready", then show the table the host sends.
const page = new TablePage(document, acquireVsCodeApi());
window.addEventListener('message', (e: MessageEvent<HostToTable>) => page.onMessage(e.data));
page.ready();
