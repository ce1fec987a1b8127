import type { HostToWebview } from '../shared/webviewProtocol';
import { TimelineApp, type VsCodeApi } from './timelineApp';

declare function acquireVsCodeApi(): VsCodeApi;

// The timeline webview: say "ready", then draw whatever the host sends ("init", "focus").
const app = new TimelineApp(document, acquireVsCodeApi());
window.addEventListener('message', (e: MessageEvent<HostToWebview>) => app.onMessage(e.data));
(window as unknown as { __timeline: TimelineApp }).__timeline = app;
app.ready();
