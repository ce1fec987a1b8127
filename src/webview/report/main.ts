import type { HostToReport } from '../../shared/reportProtocol';
import { ReportPage, type VsCodeApi } from './reportPage';

declare function acquireVsCodeApi(): VsCodeApi;

// The overlap report webview: say "ready", then show the report the host sends.
const page = new ReportPage(document, acquireVsCodeApi());
window.addEventListener('message', (e: MessageEvent<HostToReport>) => page.onMessage(e.data));
page.ready();
