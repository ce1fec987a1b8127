import type { HostToWebview } from '../shared/webviewProtocol';
import { TimelineApp, type VsCodeApi } from './timelineApp';

declare function acquireVsCodeApi(): VsCodeApi;
/** Set by esbuild.js: true in development and test builds, false in the VSIX (the branch below is dropped). */
declare const QUORUM_LENS_TEST_HOOKS: boolean;

// The timeline webview: say "ready", then draw whatever the host sends ("init", "focus").
const app = new TimelineApp(document, acquireVsCodeApi());
window.addEventListener('message', (e: MessageEvent<HostToWebview>) => app.onMessage(e.data));
// Tests (test/e2e/webview.mjs, ui.mjs) read the view and on-screen geometry through this handle.
if (QUORUM_LENS_TEST_HOOKS) (window as unknown as { __timeline: TimelineApp }).__timeline = app;
app.ready();
