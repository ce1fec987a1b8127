import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { readAuditLog, type FsAccess } from '../fsAudit';
import { REPO } from '../helpers';

/** A real LSP client talking JSON-RPC to `node dist/server.js --stdio` in a child process. */
export class StdioServer {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];

  /** With `audit`, the server runs with the fs audit preloaded (see test/fsAudit.ts) and its cache in `audit.cacheHome`. */
  constructor(private readonly audit?: { log: string; cacheHome: string }) {
    const preload = audit ? ['--require', path.join(REPO, 'out', 'test', 'fsAudit.js')] : [];
    const env = audit ? { ...process.env, QL_FS_AUDIT: audit.log, XDG_CACHE_HOME: audit.cacheHome } : process.env;
    this.child = spawn(process.execPath, [...preload, path.join(REPO, 'dist', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env,
    });
    this.child.stderr?.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
    });
    // Requests the server makes of its client. Progress on a server-created token arrives through the
    // connection's progress handlers, not as a plain notification: record it under '$/progress'.
    this.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.recordProgress(p.token);
      return null;
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.connection.listen();
  }

  /**
   * Opens a bundle folder as the only workspace folder: initialize (no optional capabilities, and the
   * extension's options when given, e.g. its cache folder), then initialized.
   */
  async open(root: string, initializationOptions?: Record<string, unknown>): Promise<void> {
    const uri = pathToFileURL(root).toString();
    await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bundle' }],
      capabilities: {},
      ...(initializationOptions && { initializationOptions }),
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Records progress on a token under '$/progress' (a token the client made up and sent with a request). */
  recordProgress(token: string | number): void {
    this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      this.notifications.push({ method: '$/progress', params: { token, value } });
    });
  }

  /** Waits for a notification matching `test` among those from the `from`th on, polling with a deadline. */
  async waitFor(method: string, test: (params: unknown) => boolean, timeoutMs = 60_000, from = 0): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.notifications.slice(from).find((n) => n.method === method && test(n.params));
      if (hit) return hit.params;
      if (Date.now() > deadline) throw new Error(`no ${method} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** What the audited server read, listed and wrote so far. */
  accesses(): FsAccess[] {
    if (!this.audit) throw new Error('this server runs without the fs audit');
    return readAuditLog(this.audit.log);
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }
}
